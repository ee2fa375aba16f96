namespace EdgeSeg.Service.Metrics;

/// <summary>
/// Observations counted into fixed buckets (upper bounds, ascending, +Inf implied) with their sum. Lock-free and
/// allocation-free to observe; a scrape reads the buckets without stopping writers, so a concurrent observation may
/// appear in the count a moment before its sum (as with every Prometheus client).
/// </summary>
internal sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;

    /// <summary>Creates a histogram over <paramref name="bounds"/> (ascending, finite).</summary>
    public Histogram(double[] bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must be finite and strictly ascending.", nameof(bounds));
            }
        }

        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>The bucket upper bounds (without +Inf).</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Total observations.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>Sum of observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    /// <summary>Records one observation.</summary>
    public void Observe(double value)
    {
        // Few buckets: a linear scan beats a binary search and touches one cache line.
        var i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        var current = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Cumulative counts per bucket, +Inf last (the form Prometheus exposes).</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            result[i] = running;
        }

        return result;
    }

    /// <summary>
    /// Estimates the <paramref name="q"/>-quantile by linear interpolation inside the bucket that holds it (Prometheus'
    /// histogram_quantile); NaN with no observations; the highest finite bound when it falls in +Inf.
    /// </summary>
    public double Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var cumulative = CumulativeCounts();
        var total = cumulative[^1];
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (cumulative[i] >= rank)
            {
                if (i == _bounds.Length)
                {
                    return _bounds.Length == 0 ? double.NaN : _bounds[^1];
                }

                var lower = i == 0 ? 0 : _bounds[i - 1];
                var below = i == 0 ? 0 : cumulative[i - 1];
                var inBucket = cumulative[i] - below;
                return inBucket == 0 ? _bounds[i] : lower + ((_bounds[i] - lower) * (rank - below) / inBucket);
            }
        }

        return _bounds[^1];
    }
}
