using System.Text.RegularExpressions;

namespace EdgeSeg.Service.Metrics;

/// <summary>Prometheus' rules for metric and label names.</summary>
internal static partial class MetricNames
{
    /// <summary>Throws unless <paramref name="name"/> is a valid metric name.</summary>
    public static void ThrowIfInvalidMetric(string name)
    {
        if (!MetricPattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
        }
    }

    /// <summary>Throws unless every label name is valid and not reserved.</summary>
    public static void ThrowIfInvalidLabels(IReadOnlyList<string> labels)
    {
        foreach (var label in labels)
        {
            if (!LabelPattern().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal) || label == "le")
            {
                throw new ArgumentException($"'{label}' is not a usable Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*, not le).", nameof(labels));
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$", RegexOptions.CultureInvariant)]
    private static partial Regex MetricPattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
