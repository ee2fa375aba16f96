using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>
/// The service's own small metrics registry (no Prometheus package): counters, gauges and histograms with labels,
/// written in the Prometheus text format. Components update their children directly; components that keep their own
/// statistics register a collector that copies a snapshot in just before each scrape. A singleton for the process.
/// </summary>
internal sealed class MetricsRegistry
{
    private readonly List<IMetricFamily> _families = [];
    private readonly List<Action> _collectors = [];
    private readonly Lock _lock = new();

    /// <summary>Registers a counter family.</summary>
    public CounterFamily Counter(string name, string help, params string[] labelNames) => Add(new CounterFamily(name, help, labelNames));

    /// <summary>Registers a gauge family.</summary>
    public GaugeFamily Gauge(string name, string help, params string[] labelNames) => Add(new GaugeFamily(name, help, labelNames));

    /// <summary>Registers a histogram family with the given bucket bounds.</summary>
    public HistogramFamily Histogram(string name, string help, double[] bounds, params string[] labelNames) =>
        Add(new HistogramFamily(name, help, labelNames, bounds));

    /// <summary>Adds an action run before every scrape (copy a component's snapshot into gauges and counters).</summary>
    public void OnCollect(Action collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        lock (_lock)
        {
            _collectors.Add(collector);
        }
    }

    /// <summary>Runs the collectors and writes every family in registration order.</summary>
    public string Scrape()
    {
        Action[] collectors;
        IMetricFamily[] families;
        lock (_lock)
        {
            collectors = [.. _collectors];
            families = [.. _families];
        }

        foreach (var collect in collectors)
        {
            collect();
        }

        var output = new StringBuilder(8192);
        foreach (var family in families)
        {
            family.Write(output);
        }

        return output.ToString();
    }

    private T Add<T>(T family)
        where T : IMetricFamily
    {
        lock (_lock)
        {
            if (_families.Any(f => f.Name == family.Name))
            {
                throw new InvalidOperationException($"The metric {family.Name} is already registered.");
            }

            _families.Add(family);
        }

        return family;
    }
}
