using System.Collections.Concurrent;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.Pipeline.Diagnostics;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

public sealed class FilePipelineTests(SourceClips clips) : IClassFixture<SourceClips>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_ThreeFiles_EveryFrameOnceInOrderWithFfmpegPixels()
    {
        var files = new Dictionary<string, (string Path, int W, int H)>
        {
            ["h264"] = (clips.H264, 640, 360),
            ["h264-odd"] = (clips.H264Odd, 641, 359),
            ["mjpeg-odd"] = (clips.MjpegOdd, 641, 359),
        };
        var sink = new RecordingSink(keepPixels: true);
        var batcher = new BatchRecorder(maxBatch: 4);
        await using var pipeline = new FramePipeline(
            files.Select(f => FrameSources.Create(new FrameSourceOptions { Id = f.Key, Uri = f.Value.Path })),
            batcher,
            sinks: [sink],
            options: new PipelineOptions { BatchTimeout = TimeSpan.FromMilliseconds(20) });

        pipeline.Start();
        await pipeline.Completion.WaitAsync(Timeout);

        foreach (var (id, (path, w, h)) in files)
        {
            var expected = Ffmpeg.DecodeBgr(path, w, h);
            var got = sink.Received.Where(r => r.SourceId == id).ToList();
            Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), got.Select(r => r.Index));
            for (var i = 0; i < expected.Count; i++)
            {
                // Same libavcodec decoder and swscale conversion as the ffmpeg tool: bit-exact.
                Assert.True(expected[i].AsSpan().SequenceEqual(got[i].Pixels), $"{id} frame {i} differs from the ffmpeg tool's decode");
            }
        }

        var snapshot = pipeline.Snapshot();
        Assert.All(snapshot.Sources, s =>
        {
            Assert.Equal(SourceState.Ended, s.State);
            Assert.Equal(SourceClips.Frames, s.Captured);
            Assert.Equal(SourceClips.Frames, s.Published);
            Assert.Equal(0, s.Dropped);
        });
        Assert.Equal(3 * SourceClips.Frames, snapshot.Stages.Single(s => s.Name == "inference").Frames);
        Assert.InRange(batcher.Largest, 1, 4);
    }

    [Fact]
    public async Task Run_BatchingProcessor_BatchesMixSourcesAndKeepOrderPerSource()
    {
        var batcher = new BatchRecorder(maxBatch: 3, holdEachBatch: true);
        var sink = new RecordingSink();
        await using var pipeline = new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "a", Uri = clips.H264 }),
                FrameSources.Create(new FrameSourceOptions { Id = "b", Uri = clips.H264 }),
            ],
            batcher,
            sinks: [sink],
            options: new PipelineOptions { BatchTimeout = TimeSpan.FromMilliseconds(200) });

        pipeline.Start();
        await pipeline.Completion.WaitAsync(Timeout);

        Assert.Contains(batcher.Batches, b => b.Distinct().Count() > 1);
        Assert.All(batcher.Batches, b => Assert.InRange(b.Count, 1, 3));
        foreach (var id in new[] { "a", "b" })
        {
            Assert.Equal(Enumerable.Range(0, SourceClips.Frames).Select(i => (long)i), sink.Received.Where(r => r.SourceId == id).Select(r => r.Index));
        }
    }

    [Fact]
    public async Task Run_ProcessorWithComplete_EachFrameProcessedThenCompletedBeforeAnalyzers()
    {
        var (snapshot, analyzer, sink) = await RunStepsAsync(failCompleteOf: -1, clips.H264, clips.MjpegOdd);

        Assert.Equal(2 * SourceClips.Frames, sink.Received.Count);
        Assert.Equal(2 * SourceClips.Frames, analyzer.Steps.Count);
        Assert.All(analyzer.Steps, s => Assert.Equal("process complete", s.Steps));
        Assert.Equal(0, snapshot.Sources.Sum(s => s.Failed));
    }

    [Fact]
    public async Task Run_CompleteThrows_FrameCountedFailedAndNotAnalysedOthersPublished()
    {
        var (snapshot, analyzer, sink) = await RunStepsAsync(failCompleteOf: 2, clips.H264);

        Assert.Equal(Enumerable.Range(0, SourceClips.Frames).Where(i => i != 2).Select(i => (long)i), sink.Received.Select(r => r.Index));
        Assert.DoesNotContain(analyzer.Steps, s => s.Index == 2);
        Assert.Equal(1, snapshot.Sources.Single().Failed);
    }

    [Fact]
    public async Task Run_LoopingFile_IndicesContinueAndSecondPassRepeatsPixels()
    {
        var sink = new RecordingSink(keepPixels: true);
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "loop", Uri = clips.MjpegOdd, Loop = true })],
            sinks: [sink]);

        pipeline.Start();
        await sink.WaitForAsync(2 * SourceClips.Frames + 1, Timeout);
        await pipeline.StopAsync();

        var got = sink.Received.ToList();
        Assert.Equal(Enumerable.Range(0, got.Count).Select(i => (long)i), got.Select(r => r.Index));
        Assert.Equal(got[0].Pixels, got[SourceClips.Frames].Pixels);
        Assert.Equal(got[3].Pixels, got[SourceClips.Frames + 3].Pixels);
    }

    [Fact]
    public async Task Stop_WhileFileRunning_DrainsEveryCapturedFrame()
    {
        var sink = new RecordingSink(delayPerFrame: TimeSpan.FromMilliseconds(5));
        await using var pipeline = new FramePipeline(
            [FrameSources.Create(new FrameSourceOptions { Id = "f", Uri = clips.H264, Loop = true })],
            sinks: [sink]);

        pipeline.Start();
        await sink.WaitForAsync(10, Timeout);
        await pipeline.StopAsync();

        var s = pipeline.Snapshot().Sources.Single();
        Assert.Equal(SourceState.Stopped, s.State);
        // Files wait instead of dropping, and the drain lets every captured frame through.
        Assert.Equal(s.Captured, s.Published);
        Assert.Equal(0, s.Dropped);
        Assert.Equal(s.Captured, sink.Received.Count);
    }

    [Fact]
    public async Task Run_ImageFolderGlob_NameOrderAndResizesToFirst()
    {
        var folder = Path.Combine(clips.Folder, "mixed");
        Directory.CreateDirectory(folder);
        Ffmpeg.Run("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=5", "-frames:v", "1", Path.Combine(folder, "b.png"));
        Ffmpeg.Run("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=32x24:rate=5", "-frames:v", "1", Path.Combine(folder, "a.png"));
        Ffmpeg.Run("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=5", "-frames:v", "1", Path.Combine(folder, "c.jpg"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "ignored");
        using var source = new ImageFolderSource(new FrameSourceOptions { Id = "imgs", Uri = folder });

        source.Open();

        Assert.Equal(["a.png", "b.png", "c.jpg"], source.Files.Select(Path.GetFileName));
        Assert.Equal((32, 24), (source.Width, source.Height));
        var pool = new FramePool(32, 24, 3, 1);
        var frame = pool.TryRent()!;
        Assert.True(source.TryRead(frame));
        Assert.True(source.TryRead(frame));
        Assert.True(source.TryRead(frame));
        Assert.False(source.TryRead(frame));
    }

    /// <summary>Runs one file source per clip (ids a, b, ...) to its end through a <see cref="StepProcessor"/> and a <see cref="StepAnalyzer"/>.</summary>
    private static async Task<(PipelineSnapshot Snapshot, StepAnalyzer Analyzer, RecordingSink Sink)> RunStepsAsync(int failCompleteOf, params string[] clipPaths)
    {
        var analyzer = new StepAnalyzer();
        var sink = new RecordingSink();
        await using var pipeline = new FramePipeline(
            clipPaths.Select((path, i) => FrameSources.Create(new FrameSourceOptions { Id = ((char)('a' + i)).ToString(), Uri = path })),
            new StepProcessor(failCompleteOf),
            [analyzer],
            [sink]);
        pipeline.Start();
        await pipeline.Completion.WaitAsync(Timeout);
        return (pipeline.Snapshot(), analyzer, sink);
    }

    /// <summary>Writes which of its hooks saw each frame into the frame's result, in order.</summary>
    private sealed class StepProcessor(int failCompleteOf) : IFrameProcessor
    {
        public int MaxBatchSize => 1;

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
        {
            batch.Span[0].Result = new List<string> { "process" };
            return ValueTask.CompletedTask;
        }

        public void Complete(Frame frame)
        {
            if (frame.Index == failCompleteOf)
            {
                throw new InvalidOperationException("complete failed on purpose");
            }

            ((List<string>)frame.Result!).Add("complete");
        }
    }

    /// <summary>Records, per frame, the steps the processor had taken when the analyzer got it.</summary>
    private sealed class StepAnalyzer : IFrameAnalyzer
    {
        public ConcurrentQueue<(string SourceId, long Index, string Steps)> Steps { get; } = new();

        public ValueTask AnalyzeAsync(Frame frame, CancellationToken cancellationToken)
        {
            Steps.Enqueue((frame.SourceId, frame.Index, string.Join(' ', (List<string>)frame.Result!)));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Records each batch's source ids; optionally holds each batch a moment so the other source catches up.</summary>
    private sealed class BatchRecorder(int maxBatch, bool holdEachBatch = false) : IFrameProcessor
    {
        public List<List<string>> Batches { get; } = [];

        public int Largest => Batches.Count == 0 ? 0 : Batches.Max(b => b.Count);

        public int MaxBatchSize => maxBatch;

        public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
        {
            Batches.Add([.. batch.ToArray().Select(f => f.SourceId)]);
            if (holdEachBatch)
            {
                // Simulates a model's run time so that frames of both sources queue up and get batched together.
                Thread.Sleep(10);
            }

            return ValueTask.CompletedTask;
        }
    }
}
