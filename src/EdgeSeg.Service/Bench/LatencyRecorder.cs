using System.Diagnostics;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;

namespace EdgeSeg.Service.Bench;

/// <summary>
/// The bench's frame sink, after the MQTT sink: records each frame's age (capture to publish) and the time it completed,
/// skips a warm-up, and signals when enough frames were measured. Preallocated: recording allocates nothing.
/// </summary>
internal sealed class LatencyRecorder(int warmUp, int measured) : IFrameSink
{
    private readonly long[] _latencyTicks = new long[measured];
    private readonly long[] _completedAt = new long[measured];
    private int _seen;
    private int _count;

    /// <summary>Completes once <c>measured</c> frames after the warm-up have been recorded.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called for each recorded frame with the number recorded so far (progress).</summary>
    public Action<int>? Progress { get; init; }

    /// <summary>Frames recorded after the warm-up.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        if (++_seen <= warmUp || _count >= measured)
        {
            return ValueTask.CompletedTask;
        }

        _latencyTicks[_count] = now - frame.CaptureTimestamp;
        _completedAt[_count] = now;
        var count = Interlocked.Increment(ref _count);
        Progress?.Invoke(count);
        if (count == measured)
        {
            Done.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Capture-to-publish latencies in milliseconds, in arrival order.</summary>
    public double[] LatenciesMilliseconds() =>
        [.. _latencyTicks.Take(Count).Select(t => t * 1000.0 / Stopwatch.Frequency)];

    /// <summary>Frames per second between the first and the last recorded frame.</summary>
    public double FramesPerSecond()
    {
        var n = Count;
        return n < 2 ? double.NaN : (n - 1) / ((double)(_completedAt[n - 1] - _completedAt[0]) / Stopwatch.Frequency);
    }
}
