using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>One entry of a model card's <c>outputs</c>: a model output and how its classes map to appliance classes. Immutable.</summary>
public sealed class ModelCardOutput
{
    /// <summary>Name of the model output.</summary>
    public required string Name { get; init; }

    /// <summary>What the output holds.</summary>
    public OutputKind Kind { get; init; } = OutputKind.Logits;

    /// <summary>The model's own class names, in channel (or label value) order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Model class name to appliance class name. Unnamed classes are background unless named like an appliance class.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The appliance class of model class <paramref name="index"/> under the rules above.</summary>
    public ApplianceClass ApplianceClassOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Classes.Count, nameof(index));
        var name = Classes[index];
        if (Map.TryGetValue(name, out var target))
        {
            return ApplianceClasses.Parse(target);
        }

        return ApplianceClasses.TryParse(name, out var cls) ? cls : ApplianceClass.Background;
    }
}
