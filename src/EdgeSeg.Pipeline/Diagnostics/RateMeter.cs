using System.Diagnostics;

namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>Events per second, exponentially smoothed over the intervals between events. One writer, any readers.</summary>
internal sealed class RateMeter
{
    // Weight of the newest interval: about a 30-event memory.
    private const double Alpha = 1.0 / 16;
    private long _last;
    private double _meanInterval;

    public void Tick(long timestamp)
    {
        var last = _last;
        _last = timestamp;
        if (last == 0)
        {
            return;
        }

        var interval = (double)(timestamp - last) / Stopwatch.Frequency;
        var mean = Volatile.Read(ref _meanInterval);
        Volatile.Write(ref _meanInterval, mean == 0 ? interval : mean + (Alpha * (interval - mean)));
    }

    public double PerSecond
    {
        get
        {
            var mean = Volatile.Read(ref _meanInterval);
            return mean > 0 ? 1 / mean : 0;
        }
    }
}
