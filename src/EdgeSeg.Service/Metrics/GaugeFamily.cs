using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>A gauge metric with labels.</summary>
internal sealed class GaugeFamily(string name, string help, IReadOnlyList<string> labelNames)
    : MetricFamily<Gauge>(name, help, labelNames)
{
    /// <inheritdoc />
    protected override string Type => "gauge";

    /// <inheritdoc />
    protected override Gauge CreateChild() => new();

    /// <inheritdoc />
    protected override void WriteChild(StringBuilder output, string[] labelValues, Gauge child) =>
        WriteSample(output, "", labelValues, null, null, child.Value);
}
