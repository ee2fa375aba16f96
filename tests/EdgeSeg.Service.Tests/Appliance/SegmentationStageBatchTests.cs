using System.Collections.Concurrent;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Pipeline;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Metrics;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Appliance;

/// <summary>
/// The inference stage with <c>Pipeline:BatchSize</c> 2 on the real pipeline, real ONNX Runtime, a test model with a
/// dynamic batch dimension, and two real H.264 files with different content: every frame's mask must be the one
/// batch size 1 gives it.
/// </summary>
public sealed class SegmentationStageBatchTests : IDisposable
{
    private const int Frames = 12;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProcessAsync_TwoFileSourcesBatchSizeTwo_MasksEqualBatchSizeOne()
    {
        var a = await MakeClipAsync("a.mp4", "testsrc2");
        var b = await MakeClipAsync("b.mp4", "testsrc");

        var single = await RunAsync(a, b, batchSize: 1);
        var batched = await RunAsync(a, b, batchSize: 2);

        Assert.All(single.Batches, ids => Assert.Single(ids));
        Assert.Contains(batched.Batches, ids => ids.Length == 2 && ids[0] != ids[1]);
        Assert.All(batched.Batches, ids => Assert.InRange(ids.Length, 1, 2));
        Assert.Equal(2 * Frames, single.Masks.Count);
        Assert.Equal(single.Masks.Keys.Order(), batched.Masks.Keys.Order());
        foreach (var (key, mask) in single.Masks)
        {
            Assert.True(mask.AsSpan().SequenceEqual(batched.Masks[key]), $"{key.Source} frame {key.Index}: the batched mask differs");
        }

        // The two clips differ, so a batch that swapped its slots could not pass the comparison above.
        Assert.False(single.Masks[("a", 3)].AsSpan().SequenceEqual(single.Masks[("b", 3)]));
    }

    [Fact]
    public async Task ProcessAsync_OverlapOn_FramesDecodedInCompleteAndMasksEqualOverlapOff()
    {
        var a = await MakeClipAsync("a.mp4", "testsrc2");
        var b = await MakeClipAsync("b.mp4", "testsrc");

        var whole = await RunAsync(a, b, batchSize: 1, overlap: false);
        var overlapped = await RunAsync(a, b, batchSize: 1, overlap: true);

        Assert.Equal(0, whole.Deferred);
        Assert.InRange(overlapped.Deferred, 1, 2 * Frames);
        Assert.Equal(whole.Masks.Keys.Order(), overlapped.Masks.Keys.Order());
        foreach (var (key, mask) in whole.Masks)
        {
            Assert.True(mask.AsSpan().SequenceEqual(overlapped.Masks[key]), $"{key.Source} frame {key.Index}: the overlapped mask differs");
        }
    }

    [Fact]
    public async Task ProcessAsync_OverlapWithSlowAnalysis_AtMostMaxSlotsOutOthersSegmentedWholeMasksEqual()
    {
        var a = await MakeClipAsync("a.mp4", "testsrc2");
        var b = await MakeClipAsync("b.mp4", "testsrc");

        var whole = await RunAsync(a, b, batchSize: 1, overlap: false);
        var slow = await RunAsync(a, b, batchSize: 1, overlap: true, analysisDelay: TimeSpan.FromMilliseconds(30));

        // The analysis stage falls behind the model, so every slot is soon waiting for its decode: the frames that
        // then find none free are segmented whole (the recorder asserts the cap after every deferred frame).
        Assert.InRange(slow.Deferred, SegmentationStage.MaxSlots, (2 * Frames) - 1);
        foreach (var (key, mask) in whole.Masks)
        {
            Assert.True(mask.AsSpan().SequenceEqual(slow.Masks[key]), $"{key.Source} frame {key.Index}: the mask differs");
        }
    }

    [Fact]
    public void Overlaps_BatchSizeAboveOne_IsOff()
    {
        using var batched = new SegmentationStage(Open("batch-dynamic", 2), new ServiceMetrics(new MetricsRegistry()));
        using var single = new SegmentationStage(Open("batch-dynamic", 1), new ServiceMetrics(new MetricsRegistry()));

        Assert.False(batched.Overlaps);
        Assert.True(single.Overlaps);
    }

    [Fact]
    public void MaxBatchSize_ModelWithFixedBatchOfOne_IsOneWhateverTheConfiguration()
    {
        using var stage = new SegmentationStage(Open("dynamic-full", 4), new ServiceMetrics(new MetricsRegistry()));

        Assert.Equal(1, stage.MaxBatchSize);
        Assert.Contains("fixed batch of 1", stage.Current.BatchNote, StringComparison.Ordinal);
    }

    private static Segmenter Open(string model, int batchSize) => OnnxRuntimeBackend.OpenSegmenter(
        TestRepo.Path("tests", "models", model + ".onnx"),
        null,
        new SegmenterOptions { MaxBatchSize = batchSize, Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 } });

    private static async Task<Run> RunAsync(string a, string b, int batchSize, bool overlap = true, TimeSpan? analysisDelay = null)
    {
        using var stage = new SegmentationStage(Open("batch-dynamic", batchSize), new ServiceMetrics(new MetricsRegistry()), overlap);
        Assert.Equal(batchSize, stage.MaxBatchSize);
        var recorder = new BatchRecorder(stage);
        var masks = new MaskRecorder(analysisDelay);
        await using (var pipeline = new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "a", Uri = a }),
                FrameSources.Create(new FrameSourceOptions { Id = "b", Uri = b }),
            ],
            recorder,
            [masks]))
        {
            pipeline.Start();
            await pipeline.Completion.WaitAsync(Timeout);
        }

        // Every frame went back to its pool, and with it every slot to the segmenter.
        Assert.Equal(0, stage.Current.OutstandingSlots);
        return new Run(recorder.Batches.ToArray(), masks.Masks, recorder.Deferred);
    }

    private Task<string> MakeClipAsync(string name, string pattern) => TestClips.MakeAsync(Path.Combine(_dir.Path, name), 160, 120, Frames, pattern);

    private sealed record Run(string[][] Batches, ConcurrentDictionary<(string Source, long Index), byte[]> Masks, int Deferred);

    /// <summary>Forwards to the stage and records each batch's source ids, and how many frames it left to decode in Complete.</summary>
    private sealed class BatchRecorder(SegmentationStage stage) : IFrameProcessor
    {
        private int _deferred;

        public ConcurrentQueue<string[]> Batches { get; } = new();

        public int Deferred => _deferred;

        public int MaxBatchSize => stage.MaxBatchSize;

        public async ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue([.. batch.ToArray().Select(f => f.SourceId)]);
            await stage.ProcessAsync(batch, cancellationToken);
            foreach (var frame in batch.ToArray())
            {
                if (frame.Result is SegmentationResult { Slot: not null })
                {
                    _deferred++;
                    Assert.InRange(stage.Current.OutstandingSlots, 1, SegmentationStage.MaxSlots);
                }
            }
        }

        public void Complete(Frame frame) => stage.Complete(frame);

        public void OnFrameReleased(Frame frame) => stage.OnFrameReleased(frame);
    }

    /// <summary>Copies each frame's mask (the pooled result is reused once the frame is released).</summary>
    private sealed class MaskRecorder(TimeSpan? delay) : IFrameAnalyzer
    {
        public ConcurrentDictionary<(string Source, long Index), byte[]> Masks { get; } = new();

        public ValueTask AnalyzeAsync(Frame frame, CancellationToken cancellationToken)
        {
            if (delay is { } d)
            {
                // A genuinely slow analysis stage (heavy scene metrics), not a timing assertion.
                Thread.Sleep(d);
            }

            var result = Assert.IsType<SegmentationResult>(frame.Result);
            Assert.True(Masks.TryAdd((frame.SourceId, frame.Index), result.Mask.Pixels.ToArray()), $"{frame.SourceId} frame {frame.Index} arrived twice");
            return ValueTask.CompletedTask;
        }
    }
}
