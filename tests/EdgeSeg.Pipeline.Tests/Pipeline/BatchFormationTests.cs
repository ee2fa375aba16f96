using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Tests.Sources;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

/// <summary>How the inference loop forms batches: it waits only for sources that have no frame in the batch yet.</summary>
public sealed class BatchFormationTests(SourceClips clips) : IClassFixture<SourceClips>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_OneSourceWithHourLongBatchTimeout_NeverWaitsForItsOwnNextFrame()
    {
        // Paced at its 25 fps, the source's next frame is 40 ms away whenever the processor asks. A loop that waited
        // for it would only ever hand over full batches of 4 (the timeout is an hour) until the file ends.
        var batcher = new SizeRecorder(maxBatch: 4);
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "only", Uri = clips.H264, Paced = true })],
            batcher,
            options: new PipelineOptions { BatchTimeout = TimeSpan.FromHours(1) });

        pipeline.Start();
        await pipeline.Completion.WaitAsync(Timeout);

        var sizes = batcher.Sizes.ToArray();
        Assert.Equal(SourceClips.Frames, sizes.Sum());
        Assert.Contains(sizes[..^1], n => n < 4);
    }

    [Fact]
    public async Task Run_TwoSourcesWithHourLongBatchTimeout_BatchesTakeOneFrameOfEachAndAllFramesArrive()
    {
        // Two sources: a partial batch waits for the source that is missing from it, which delivers well within the
        // timeout, so batches of two mixed frames form; nothing waits for an hour (the run ends when the files do). The
        // sources start independently; the 4 s clip keeps them overlapping when a busy machine starts one late.
        var batcher = new SizeRecorder(maxBatch: 2);
        await using var pipeline = new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "a", Uri = clips.OverlapClip, Paced = true }),
                FrameSources.Create(new FrameSourceOptions { Id = "b", Uri = clips.OverlapClip, Paced = true }),
            ],
            batcher,
            options: new PipelineOptions { BatchTimeout = TimeSpan.FromHours(1) });

        pipeline.Start();
        await pipeline.Completion.WaitAsync(Timeout);

        Assert.Equal(2 * SourceClips.OverlapFrames, batcher.Sizes.Sum());
        Assert.Contains(batcher.Mixed, m => m);
    }

    /// <summary>Records each batch's size and whether it mixed sources.</summary>
    private sealed class SizeRecorder(int maxBatch) : IFrameProcessor
    {
        public List<int> Sizes { get; } = [];

        public List<bool> Mixed { get; } = [];

        public int MaxBatchSize => maxBatch;

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
        {
            var frames = batch.Span;
            Sizes.Add(frames.Length);
            var mixed = false;
            for (var i = 1; i < frames.Length; i++)
            {
                mixed |= frames[i].SourceId != frames[0].SourceId;
            }

            Mixed.Add(mixed);
            return ValueTask.CompletedTask;
        }
    }
}
