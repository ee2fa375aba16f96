using System.Collections.Concurrent;
using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>
/// A named metric with a fixed set of label names and one child per combination of label values. Children are
/// created on first use and live as long as the registry; resolve them once (per source, say) and keep the
/// reference: <see cref="WithLabels"/> allocates a key, the child's own update methods do not.
/// </summary>
/// <typeparam name="TChild">The child type: a counter, gauge or histogram.</typeparam>
internal abstract class MetricFamily<TChild> : IMetricFamily
    where TChild : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, TChild Child)> _children = new(StringComparer.Ordinal);

    protected MetricFamily(string name, string help, IReadOnlyList<string> labelNames)
    {
        MetricNames.ThrowIfInvalidMetric(name);
        MetricNames.ThrowIfInvalidLabels(labelNames);
        Name = name;
        Help = help;
        LabelNames = [.. labelNames];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Help { get; }

    /// <summary>The label names, in order.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The Prometheus type: counter, gauge or histogram.</summary>
    protected abstract string Type { get; }

    /// <summary>Every child with its label values, in no particular order.</summary>
    public IEnumerable<(IReadOnlyList<string> Labels, TChild Child)> Children =>
        _children.Values.Select(c => ((IReadOnlyList<string>)c.Values, c.Child));

    /// <summary>The child for these label values (one per label name, in order), created on first use.</summary>
    public TChild WithLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} has {LabelNames.Count} label(s) ({string.Join(", ", LabelNames)}); {values.Length} value(s) given.", nameof(values));
        }

        var key = string.Join('\u0001', values);
        return _children.GetOrAdd(key, static (_, state) => ((string[])state.values.Clone(), state.family.CreateChild()), (values, family: this)).Child;
    }

    /// <inheritdoc />
    public void Write(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ');
        PrometheusText.AppendHelp(output, Help);
        output.Append('\n').Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        foreach (var (values, child) in _children.Values.OrderBy(c => string.Join('\u0001', c.Values), StringComparer.Ordinal))
        {
            WriteChild(output, values, child);
        }
    }

    /// <summary>Creates a child.</summary>
    protected abstract TChild CreateChild();

    /// <summary>Writes one child's samples.</summary>
    protected abstract void WriteChild(StringBuilder output, string[] labelValues, TChild child);

    /// <summary>Writes <c>name{labels,extra} value</c>.</summary>
    protected void WriteSample(StringBuilder output, string suffix, string[] labelValues, string? extraLabel, string? extraValue, double value)
    {
        output.Append(Name).Append(suffix);
        PrometheusText.AppendLabels(output, LabelNames, labelValues, extraLabel, extraValue);
        output.Append(' ');
        PrometheusText.AppendValue(output, value);
        output.Append('\n');
    }
}
