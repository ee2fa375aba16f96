namespace EdgeSeg.Service.Metrics;

/// <summary>A monotonically increasing count. Lock-free and allocation-free to update; safe from any thread.</summary>
internal sealed class Counter
{
    private long _value;

    /// <summary>The current count.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Adds one.</summary>
    public void Increment() => Interlocked.Increment(ref _value);

    /// <summary>Adds <paramref name="amount"/>, which must not be negative.</summary>
    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }

    /// <summary>
    /// Raises the count to <paramref name="total"/> when a component keeps its own running total (a snapshot copied in
    /// at scrape time); a lower total is ignored so the counter never goes back.
    /// </summary>
    public void AdvanceTo(long total)
    {
        var current = Interlocked.Read(ref _value);
        while (total > current)
        {
            var seen = Interlocked.CompareExchange(ref _value, total, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
