using System.Diagnostics;

namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>
/// Events per second, exponentially smoothed over the intervals between events; once the time since the last event
/// exceeds that smoothed interval, the rate is one event over that time, so a source that stops delivering reads
/// towards 0 instead of its last rate. One writer, any readers.
/// </summary>
internal sealed class RateMeter
{
    // Weight of the newest interval: about a 30-event memory.
    private const double Alpha = 1.0 / 16;
    private long _last;
    private double _meanInterval;

    public void Tick(long timestamp)
    {
        var last = _last;
        Volatile.Write(ref _last, timestamp);
        if (last == 0)
        {
            return;
        }

        var interval = (double)(timestamp - last) / Stopwatch.Frequency;
        var mean = Volatile.Read(ref _meanInterval);
        Volatile.Write(ref _meanInterval, mean == 0 ? interval : mean + (Alpha * (interval - mean)));
    }

    /// <summary>The rate now.</summary>
    public double PerSecond => RateAt(Stopwatch.GetTimestamp());

    /// <summary>The rate at <paramref name="timestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value); 0 before two events.</summary>
    public double RateAt(long timestamp)
    {
        var mean = Volatile.Read(ref _meanInterval);
        if (mean <= 0)
        {
            return 0;
        }

        var sinceLast = (double)(timestamp - Volatile.Read(ref _last)) / Stopwatch.Frequency;
        return 1 / Math.Max(mean, sinceLast);
    }
}
