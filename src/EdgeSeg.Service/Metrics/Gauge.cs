namespace EdgeSeg.Service.Metrics;

/// <summary>A value that goes up and down. Lock-free and allocation-free to update; safe from any thread.</summary>
internal sealed class Gauge
{
    private double _value;

    /// <summary>The current value.</summary>
    public double Value => Volatile.Read(ref _value);

    /// <summary>Sets the value.</summary>
    public void Set(double value) => Interlocked.Exchange(ref _value, value);

    /// <summary>Sets 1 for true, 0 for false.</summary>
    public void Set(bool value) => Set(value ? 1 : 0);
}
