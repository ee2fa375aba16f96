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
        const int warmUp = 100, measured = 400;
        var probe = new AllocationProbe(warmUp, warmUp + measured);
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "long", Uri = clips.LongClip })],
            new BatchOfTwo(),
            sinks: [probe]);

        pipeline.Start();
        await probe.Done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.StopAsync();

        var perFrame = (double)probe.AllocatedBytes / measured;
        output.WriteLine($"{probe.AllocatedBytes} bytes over {measured} frames ({perFrame:0.0} B/frame, process-wide)");
        // A 320x180 BGR frame is 172,800 bytes; a single allocation per frame of anything (a Task, a closure, a boxed
        // state machine) is at least 24 bytes, so would show as >= 24 B/frame. What remains below that is not per
        // frame: process-wide noise (the test host's threads, timer and thread-pool bookkeeping), a few KB in all.
        Assert.InRange(perFrame, 0, 23.9);
    }

    private sealed class BatchOfTwo : IFrameProcessor
    {
        public int MaxBatchSize => 2;

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Reads the process's allocation counter at two frame counts.</summary>
    private sealed class AllocationProbe(int from, int to) : IFrameSink
    {
        private long _seen;
        private long _start;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long AllocatedBytes { get; private set; }

        public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            var seen = ++_seen;
            if (seen == from)
            {
                _start = GC.GetTotalAllocatedBytes(precise: true);
            }
            else if (seen == to)
            {
                AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - _start;
                Done.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }
}
