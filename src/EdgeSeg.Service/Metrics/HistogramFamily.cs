using System.Globalization;
using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>A histogram metric with labels; every child shares the family's bucket bounds.</summary>
internal sealed class HistogramFamily : MetricFamily<Histogram>
{
    private readonly double[] _bounds;
    private readonly string[] _boundText;

    /// <summary>Creates the family; <paramref name="bounds"/> ascending and finite (+Inf is implied).</summary>
    public HistogramFamily(string name, string help, IReadOnlyList<string> labelNames, double[] bounds)
        : base(name, help, labelNames)
    {
        _ = new Histogram(bounds);
        _bounds = (double[])bounds.Clone();
        _boundText = [.. _bounds.Select(b => b.ToString("R", CultureInfo.InvariantCulture)), "+Inf"];
    }

    /// <inheritdoc />
    protected override string Type => "histogram";

    /// <summary>Exponential bounds: <paramref name="start"/>, start x factor, ... (<paramref name="count"/> of them).</summary>
    public static double[] ExponentialBounds(double start, double factor, int count)
    {
        var bounds = new double[count];
        for (var i = 0; i < count; i++)
        {
            bounds[i] = Math.Round(start * Math.Pow(factor, i), 6);
        }

        return bounds;
    }

    /// <inheritdoc />
    protected override Histogram CreateChild() => new(_bounds);

    /// <inheritdoc />
    protected override void WriteChild(StringBuilder output, string[] labelValues, Histogram child)
    {
        var cumulative = child.CumulativeCounts();
        for (var i = 0; i < cumulative.Length; i++)
        {
            WriteSample(output, "_bucket", labelValues, "le", _boundText[i], cumulative[i]);
        }

        WriteSample(output, "_sum", labelValues, null, null, child.Sum);
        WriteSample(output, "_count", labelValues, null, null, cumulative[^1]);
    }
}
