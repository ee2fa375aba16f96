using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

/// <summary>
/// A stop loses nothing: whatever the timing, once StopAsync (or DisposeAsync) returns every stage loop has finished,
/// every frame rented from the pool is back exactly once, and every captured frame is published, dropped, failed or
/// counted as dropped at stop.
/// </summary>
public sealed class GracefulStopTests(SourceClips clips) : IClassFixture<SourceClips>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public enum Where
    {
        Nowhere,
        Inference,
        Analysis,
        Publish,
    }

    public enum Behaviour
    {
        /// <summary>Blocks until its token is cancelled, then throws OperationCanceledException.</summary>
        HonoursCancellation,

        /// <summary>Sees the cancellation, keeps the frame until the test lets go, then returns normally.</summary>
        IgnoresThenReturns,

        /// <summary>Sees the cancellation, keeps the frame until the test lets go, then fails (a broker error, say).</summary>
        IgnoresThenThrows,
    }

    [Theory]
    [InlineData(Where.Publish, Behaviour.HonoursCancellation)]
    [InlineData(Where.Publish, Behaviour.IgnoresThenReturns)]
    [InlineData(Where.Publish, Behaviour.IgnoresThenThrows)]
    [InlineData(Where.Analysis, Behaviour.HonoursCancellation)]
    [InlineData(Where.Analysis, Behaviour.IgnoresThenReturns)]
    [InlineData(Where.Inference, Behaviour.HonoursCancellation)]
    [InlineData(Where.Inference, Behaviour.IgnoresThenReturns)]
    [InlineData(Where.Inference, Behaviour.IgnoresThenThrows)]
    public async Task Stop_StageHoldsFramePastDrainBound_EveryFrameReturnedAndCounted(Where where, Behaviour behaviour)
    {
        var stage = new HoldingStage(where, behaviour);
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264, Loop = true })],
            stage,
            [stage],
            [stage],
            new PipelineOptions { DrainTimeout = TimeSpan.FromMilliseconds(200), BatchTimeout = TimeSpan.FromMilliseconds(20) });

        pipeline.Start();
        await stage.Held.Task.WaitAsync(Timeout);
        // The stage before the held one has handled a few more frames: they sit in a queue behind the held frame.
        await stage.Backlog.Task.WaitAsync(Timeout);
        var stopping = pipeline.StopAsync();
        if (behaviour != Behaviour.HonoursCancellation)
        {
            await stage.CancellationSeen.Task.WaitAsync(Timeout);
            // The stage still has its frame: the stop must wait for it, or the frame would come back after the stop.
            Assert.False(stopping.IsCompleted);
            stage.LetGo();
        }

        await stopping.WaitAsync(Timeout);

        Assert.True(pipeline.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, stage.Pool.Outstanding);
        Assert.Equal(stage.Pool.Capacity, stage.Pool.Available);
        var s = pipeline.Snapshot().Sources.Single();
        Assert.Equal(SourceState.Stopped, s.State);
        Assert.Equal(0, s.Dropped);
        Assert.Equal(where == Where.Publish && behaviour == Behaviour.IgnoresThenReturns ? 1 : 0, s.Published);
        Assert.Equal(behaviour == Behaviour.IgnoresThenThrows ? stage.HeldFrames : 0, s.Failed);
        Assert.Equal(s.Captured - s.Published - s.Failed, s.DroppedAtStop);
        // A held batch not failed is dropped at stop; behind a held analysis or publish stage four frames were queued.
        var least = where == Where.Inference ? (behaviour == Behaviour.IgnoresThenThrows ? 0 : stage.HeldFrames) : 4;
        Assert.InRange(s.DroppedAtStop, least, long.MaxValue);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(5000, false)]
    [InlineData(5000, true)]
    public async Task Stop_DuringNormalFlow_EveryCapturedFramePublishedOrCounted(int drainMilliseconds, bool dispose)
    {
        var probe = new HoldingStage(Where.Nowhere, Behaviour.HonoursCancellation);
        var sink = new RecordingSink(delayPerFrame: TimeSpan.FromMilliseconds(2));
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264, Loop = true })],
            probe,
            [probe],
            [probe, sink],
            new PipelineOptions { DrainTimeout = TimeSpan.FromMilliseconds(drainMilliseconds), BatchTimeout = TimeSpan.FromMilliseconds(5) });

        pipeline.Start();
        await sink.WaitForAsync(10, Timeout);
        await (dispose ? pipeline.DisposeAsync().AsTask() : pipeline.StopAsync()).WaitAsync(Timeout);

        Assert.True(pipeline.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, probe.Pool.Outstanding);
        var s = pipeline.Snapshot().Sources.Single();
        Assert.Equal((0, 0), (s.Dropped, s.Failed));
        Assert.Equal(s.Captured, s.Published + s.DroppedAtStop);
        // What was published is a gap-free run from the first frame: an abort only ever cuts off the tail.
        Assert.Equal(Enumerable.Range(0, (int)s.Published).Select(i => (long)i), sink.Received.Select(r => r.Index));
        if (drainMilliseconds >= 5000)
        {
            // Within the bound, the drain lets every captured frame through.
            Assert.Equal(0, s.DroppedAtStop);
        }

    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2 * 24 * 3600 * 1000.0)]
    public void Create_DrainTimeoutOutOfRange_ThrowsNamingIt(double milliseconds)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264 })],
            options: new PipelineOptions { DrainTimeout = TimeSpan.FromMilliseconds(milliseconds) }));

        Assert.Contains("DrainTimeout", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Plays all three stages. At <see cref="Where"/> it holds every call as <see cref="Behaviour"/> says; elsewhere it
    /// passes frames through. Remembers the frames' pool.
    /// </summary>
    private sealed class HoldingStage(Where where, Behaviour behaviour) : IFrameProcessor, IFrameAnalyzer, IFrameSink
    {
        // Frames the stage before the held one must have handled before the test stops: the held frame and four more.
        private const int BacklogFrames = 5;
        private readonly TaskCompletionSource _letGo = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private FramePool? _pool;
        private int _upstream;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Backlog { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource CancellationSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Frames in the first held call (the batch size when holding inference).</summary>
        public int HeldFrames { get; private set; }

        public FramePool Pool => Volatile.Read(ref _pool) ?? throw new InvalidOperationException("No frame was seen.");

        public int MaxBatchSize => 3;

        public void LetGo() => _letGo.TrySetResult();

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken) =>
            HandleAsync(Where.Inference, batch.Span[0], batch.Length, cancellationToken);

        public ValueTask AnalyzeAsync(Frame frame, CancellationToken cancellationToken) =>
            HandleAsync(Where.Analysis, frame, 1, cancellationToken);

        public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken) =>
            HandleAsync(Where.Publish, frame, 1, cancellationToken);

        private async ValueTask HandleAsync(Where role, Frame first, int frames, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _pool, first.Pool);
            if (role != where)
            {
                if (role == where - 1 && Interlocked.Add(ref _upstream, frames) >= BacklogFrames)
                {
                    Backlog.TrySetResult();
                }

                return;
            }

            if (!Held.Task.IsCompleted)
            {
                HeldFrames = frames;
                if (where == Where.Inference)
                {
                    // Nothing but the capture queue is upstream of inference.
                    Backlog.TrySetResult();
                }

                Held.TrySetResult();
            }

            if (behaviour == Behaviour.HonoursCancellation)
            {
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
                return;
            }

            await using (cancellationToken.Register(() => CancellationSeen.TrySetResult()))
            {
                await _letGo.Task;
            }

            if (behaviour == Behaviour.IgnoresThenThrows)
            {
                throw new IOException("The broker went away.");
            }
        }
    }
}
