using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

public sealed class ShutdownTests(SourceClips clips) : IClassFixture<SourceClips>
{
    [Fact]
    public async Task Stop_SinkNeverFinishes_CancelsAfterDrainBoundAndReturns()
    {
        var sink = new StuckSink();
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264, Loop = true })],
            sinks: [sink],
            options: new PipelineOptions { DrainTimeout = TimeSpan.FromMilliseconds(300) });

        pipeline.Start();
        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await pipeline.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(sink.Cancelled);
        Assert.True(pipeline.Completion.IsCompleted);
        var s = pipeline.Snapshot().Sources.Single();
        Assert.Equal(SourceState.Stopped, s.State);
        Assert.Equal(0, s.Published);
    }

    [Fact]
    public async Task Start_Twice_Throws()
    {
        await using var pipeline = new FramePipeline([FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264 })]);
        pipeline.Start();

        Assert.Throws<InvalidOperationException>(pipeline.Start);
    }

    [Fact]
    public void Create_DuplicateSourceIds_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "same", Uri = clips.H264 }),
                FrameSources.Create(new FrameSourceOptions { Id = "same", Uri = clips.MjpegOdd }),
            ]));

        Assert.Contains("same", e.Message);
    }

    /// <summary>A publisher that hangs until cancelled (a broker that stopped answering).</summary>
    private sealed class StuckSink : IFrameSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public async ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
        }
    }
}
