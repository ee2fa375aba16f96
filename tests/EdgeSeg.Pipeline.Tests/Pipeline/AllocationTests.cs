using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Tests.Sources;
using Xunit.Abstractions;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

[Collection(nameof(NonParallelGroup))]
public sealed class AllocationTests(SourceClips clips, ITestOutputHelper output) : IClassFixture<SourceClips>
{
    [Fact]
    public async Task Run_FileAfterWarmUp_AllocatesNothingPerFrame()
    {
        const int warmUp = 100, window = 100, windows = 4;
        var probe = new AllocationProbe(warmUp, window, windows);
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "long", Uri = clips.LongClip })],
            new BatchOfTwo(),
            sinks: [probe]);

        pipeline.Start();
        await probe.Done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.StopAsync();

        var perFrame = probe.WindowBytes.Select(b => (double)b / window).ToList();
        output.WriteLine($"bytes per frame in each window of {window} frames (process-wide): {string.Join(", ", perFrame.Select(p => p.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
        // A 320x180 BGR frame is 172,800 bytes; a single allocation per frame of anything (a Task, a closure, a boxed
        // state machine) is at least 24 bytes, so would show as >= 24 B/frame in every window. The counter is
        // process-wide: the test host's threads, timers and thread-pool bookkeeping add a few KB now and then, which
        // lands in one window, not all, so the quietest window is the one that tells.
        Assert.InRange(perFrame.Min(), 0, 23.9);
    }

    private sealed class BatchOfTwo : IFrameProcessor
    {
        public int MaxBatchSize => 2;

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Reads the process's allocation counter at the start and end of consecutive windows of frames.</summary>
    private sealed class AllocationProbe(int warmUp, int window, int windows) : IFrameSink
    {
        private readonly long[] _marks = new long[windows + 1];
        private long _seen;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Bytes allocated in each window, once <see cref="Done"/> completes.</summary>
        public IEnumerable<long> WindowBytes => _marks.Zip(_marks.Skip(1), (start, end) => end - start);

        public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            var seen = ++_seen;
            if (seen >= warmUp && (seen - warmUp) % window == 0 && (seen - warmUp) / window <= windows)
            {
                var mark = (int)((seen - warmUp) / window);
                _marks[mark] = GC.GetTotalAllocatedBytes(precise: true);
                if (mark == windows)
                {
                    Done.TrySetResult();
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
