using System.Diagnostics;

namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>Live timing counters of one stage, updated by its single task and read by the metrics endpoint.</summary>
internal sealed class StageCounters(string name)
{
    private long _frames;
    private long _calls;
    private long _ticks;
    private long _maxTicks;
    private long _lastTicks;
    private long _errors;

    public string Name { get; } = name;

    public void Record(int frames, long startTimestamp)
    {
        var ticks = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Add(ref _frames, frames);
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _ticks, ticks);
        Volatile.Write(ref _lastTicks, ticks);
        // One writer per stage: a plain compare is enough for the maximum.
        if (ticks > Volatile.Read(ref _maxTicks))
        {
            Volatile.Write(ref _maxTicks, ticks);
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);

    public StageSnapshot Snapshot(int queueDepth, int queueCapacity)
    {
        var calls = Interlocked.Read(ref _calls);
        var ticks = Interlocked.Read(ref _ticks);
        return new StageSnapshot(
            Name,
            Interlocked.Read(ref _frames),
            calls,
            Interlocked.Read(ref _errors),
            ToTime(ticks),
            calls == 0 ? TimeSpan.Zero : ToTime(ticks / calls),
            ToTime(Volatile.Read(ref _lastTicks)),
            ToTime(Volatile.Read(ref _maxTicks)),
            queueDepth,
            queueCapacity);
    }

    internal static TimeSpan ToTime(long stopwatchTicks) => TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);
}
