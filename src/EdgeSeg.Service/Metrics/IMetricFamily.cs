using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>A metric family the registry can write in the Prometheus text format.</summary>
internal interface IMetricFamily
{
    /// <summary>The metric name.</summary>
    string Name { get; }

    /// <summary>The help text.</summary>
    string Help { get; }

    /// <summary>Appends the family (HELP, TYPE and every sample).</summary>
    void Write(StringBuilder output);
}
