namespace EdgeSeg.Core.Segmentation;

/// <summary>A model input or output as the model declares it.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Shape">Its dimensions; -1 for a dimension that is symbolic or unknown.</param>
/// <param name="SymbolicDimensions">The symbolic name of each dimension ("" where it is fixed or unnamed).</param>
public sealed record TensorInfo(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>True when every dimension is fixed.</summary>
    public bool IsFixed => Shape.All(d => d >= 0);

    /// <summary>The shape as text, e.g. <c>[1, 3, height, width]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select((d, i) => d >= 0
        ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : (i < SymbolicDimensions.Count && SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?"))) + "]";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ElementType} {ShapeText}";
}
