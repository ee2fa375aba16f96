using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>A counter metric with labels.</summary>
internal sealed class CounterFamily(string name, string help, IReadOnlyList<string> labelNames)
    : MetricFamily<Counter>(name, help, labelNames)
{
    /// <inheritdoc />
    protected override string Type => "counter";

    /// <inheritdoc />
    protected override Counter CreateChild() => new();

    /// <inheritdoc />
    protected override void WriteChild(StringBuilder output, string[] labelValues, Counter child) =>
        WriteSample(output, "", labelValues, null, null, child.Value);
}
