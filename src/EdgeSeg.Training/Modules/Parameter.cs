using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>A trainable tensor of a module under its dotted state-dict name (e.g. <c>encoders.0.conv1.weight</c>).</summary>
public sealed class Parameter
{
    internal Parameter(string name, Tensor value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The dotted name, PyTorch's convention.</summary>
    public string Name { get; }

    /// <summary>The tensor, owned by the module; optimisers update its <see cref="Tensor.Data"/> in place.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient, or null before the first backward pass.</summary>
    public Tensor? Grad => Value.Grad;

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Value.ShapeString}";
}
