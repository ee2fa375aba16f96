using System.Collections.Concurrent;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;

namespace EdgeSeg.Pipeline.Tests.Support;

/// <summary>A sink that records what it got (and optionally copies pixels), signalling when a count is reached.</summary>
public sealed class RecordingSink(bool keepPixels = false, TimeSpan? delayPerFrame = null) : IFrameSink
{
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyCollection<Received> Received => _received;

    public HashSet<Frame> DistinctFrames { get; } = [];

    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        if (delayPerFrame is { } delay)
        {
            // A genuinely slow consumer (an overloaded publisher), not a timing assertion.
            Thread.Sleep(delay);
        }

        lock (_gate)
        {
            DistinctFrames.Add(frame);
        }

        _received.Enqueue(new Received(frame.SourceId, frame.Index, frame.StreamTimestampMilliseconds, keepPixels ? frame.Image.Pixels.ToArray() : null, frame.Age));
        lock (_gate)
        {
            foreach (var (count, done) in _waiters)
            {
                if (_received.Count >= count)
                {
                    done.TrySetResult();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task WaitForAsync(int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, done));
        }

        return done.Task.WaitAsync(timeout);
    }
}

public sealed record Received(string SourceId, long Index, double? StreamMs, byte[]? Pixels, TimeSpan Age);
