using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// Batched segmentation against the real runtime: the batch-* test models are copies of batch-1 models with the same
/// weights and a batch dimension, so every mask of a batch must equal, byte for byte, the mask the batch-1 model gives
/// that frame alone.
/// </summary>
public sealed class SegmenterBatchTests
{
    public static TheoryData<string, string, UpsampleMode> BatchModels => new()
    {
        { "batch-dynamic", "dynamic-full", UpsampleMode.Bilinear },
        { "batch-labels", "labels", UpsampleMode.Bilinear },
        { "batch-twin-head", "twin-head", UpsampleMode.Bilinear },
        { "batch-dynamic", "dynamic-full", UpsampleMode.Fast },
    };

    [Theory]
    [MemberData(nameof(BatchModels))]
    public void SegmentBatch_FourFramesOfOneSize_MasksAndConfidenceEqualSingleFrameCalls(string model, string batchOneModel, UpsampleMode mode)
    {
        using var batched = Open(model, 4, mode);
        using var reference = TestModels.Open(batchOneModel, mode);
        Assert.Equal(4, batched.MaxBatchSize);
        var frames = Enumerable.Range(0, 4).Select(i => SyntheticFrames.Make(160, 120, 100 + i)).ToArray();

        AssertBatchEqualsSingles(batched, reference, frames);
    }

    [Theory]
    [MemberData(nameof(BatchModels))]
    public void SegmentBatch_MixedSizesAndMoreFramesThanABatch_EachMaskEqualsSingleFrameCall(string model, string batchOneModel, UpsampleMode mode)
    {
        using var batched = Open(model, 3, mode);
        using var reference = TestModels.Open(batchOneModel, mode);
        (int W, int H)[] sizes = [(160, 120), (96, 64), (160, 120), (97, 63), (160, 120), (96, 64), (160, 120), (33, 17)];
        var frames = sizes.Select((s, i) => SyntheticFrames.Make(s.W, s.H, 200 + i)).ToArray();

        AssertBatchEqualsSingles(batched, reference, frames);

        // Partial batches after full ones (1, then 2 frames) run on the same buffers and still match.
        AssertBatchEqualsSingles(batched, reference, frames[..1]);
        AssertBatchEqualsSingles(batched, reference, frames[2..4]);
    }

    [Fact]
    public void Open_FixedBatchOfOneWithBatchSizeFour_BatchSizeIsOneLoggedOnceAndMasksMatch()
    {
        var lines = new List<string>();
        var options = TestModels.CpuOptions(log: lines.Add);
        options.MaxBatchSize = 4;
        using var segmenter = OnnxRuntimeBackend.OpenSegmenter(TestModels.Path("dynamic-full"), null, options);
        using var reference = TestModels.Open("dynamic-full");

        Assert.Equal(1, segmenter.MaxBatchSize);
        Assert.Contains("fixed batch of 1", segmenter.BatchNote, StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("fixed batch of 1", StringComparison.Ordinal));
        var frames = Enumerable.Range(0, 3).Select(i => SyntheticFrames.Make(64, 48, 300 + i)).ToArray();
        AssertBatchEqualsSingles(segmenter, reference, frames);
        Assert.Single(lines, l => l.Contains("fixed batch of 1", StringComparison.Ordinal));
    }

    [Fact]
    public void SegmentBatch_FixedBatchOfTwo_PartialBatchPaddedAndMasksMatch()
    {
        using var segmenter = Open("batch-fixed2", 4, UpsampleMode.Bilinear);
        using var reference = TestModels.Open("quarter-fixed");

        Assert.Equal(2, segmenter.MaxBatchSize);
        Assert.Contains("fixed batch of 2", segmenter.BatchNote, StringComparison.Ordinal);
        var frames = Enumerable.Range(0, 3).Select(i => SyntheticFrames.Make(120, 80, 400 + i)).ToArray();
        AssertBatchEqualsSingles(segmenter, reference, frames);
        AssertBatchEqualsSingles(segmenter, reference, frames[1..2]);
    }

    [Fact]
    public void Segment_SingleFrameOnBatchModel_EqualsBatchOneModel()
    {
        using var segmenter = Open("batch-dynamic", 4, UpsampleMode.Bilinear);
        using var reference = TestModels.Open("dynamic-full");
        var frame = SyntheticFrames.Make(150, 100, 7);
        var (mask, expected) = (new Mask(150, 100), new Mask(150, 100));

        segmenter.Segment(frame, mask);
        reference.Segment(frame, expected);

        Assert.Equal(expected.Pixels.ToArray(), mask.Pixels.ToArray());
    }

    [Fact]
    public void SegmentBatch_AfterWarmUp_AllocatesNothing()
    {
        using var segmenter = Open("batch-twin-head", 4, UpsampleMode.Bilinear);
        (int W, int H)[] sizes = [(160, 120), (96, 64), (160, 120), (160, 120), (96, 64)];
        var frames = sizes.Select((s, i) => SyntheticFrames.Make(s.W, s.H, 500 + i)).ToArray();
        var masks = sizes.Select(s => new Mask(s.W, s.H)).ToArray();
        var confidences = sizes.Select(s => (float[]?)new float[s.W * s.H]).ToArray();
        void RunAll()
        {
            segmenter.SegmentBatch(frames, masks, confidences);
            segmenter.SegmentBatch(frames.AsSpan(0, 3), masks.AsSpan(0, 3));
            segmenter.Segment(frames[1], masks[1], confidences[1]);
        }

        RunAll();
        RunAll();
        Assert.Equal(0, Allocations.QuietestRound(RunAll, callsPerRound: 5));
    }

    [Fact]
    public void SegmentBatch_BadArguments_ErrorNamesTheArgument()
    {
        using var segmenter = Open("batch-dynamic", 2, UpsampleMode.Bilinear);
        var frames = new[] { SyntheticFrames.Make(32, 24, 1), SyntheticFrames.Make(32, 24, 2) };

        var count = Assert.Throws<ArgumentException>(() => segmenter.SegmentBatch(frames, new[] { new Mask(32, 24) }));
        Assert.Equal("destinations", count.ParamName);
        var size = Assert.Throws<ArgumentException>(() => segmenter.SegmentBatch(frames, new[] { new Mask(32, 24), new Mask(24, 32) }));
        Assert.Contains("Destination mask 1 is 24x32", size.Message, StringComparison.Ordinal);
        var gray = Assert.Throws<ArgumentException>(() => segmenter.SegmentBatch(new[] { new ImageBuffer(32, 24, 1) }, new[] { new Mask(32, 24) }));
        Assert.Equal("frames", gray.ParamName);
        var confidence = Assert.Throws<ArgumentException>(
            () => segmenter.SegmentBatch(frames, new[] { new Mask(32, 24), new Mask(32, 24) }, new float[]?[] { null, new float[5] }));
        Assert.Equal("confidences", confidence.ParamName);
        var options = TestModels.CpuOptions();
        options.MaxBatchSize = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxRuntimeBackend.OpenSegmenter(TestModels.Path("batch-dynamic"), null, options));
    }

    private static Segmenter Open(string model, int batch, UpsampleMode mode)
    {
        var options = TestModels.CpuOptions(mode);
        options.MaxBatchSize = batch;
        return OnnxRuntimeBackend.OpenSegmenter(TestModels.Path(model), null, options);
    }

    private static void AssertBatchEqualsSingles(Segmenter batched, Segmenter reference, ImageBuffer[] frames)
    {
        var masks = frames.Select(f => new Mask(f.Width, f.Height)).ToArray();
        var confidences = frames.Select(f => (float[]?)new float[f.Width * f.Height]).ToArray();
        batched.SegmentBatch(frames, masks, confidences);
        for (var i = 0; i < frames.Length; i++)
        {
            var (expected, expectedConfidence) = (new Mask(frames[i].Width, frames[i].Height), new float[frames[i].Width * frames[i].Height]);
            reference.Segment(frames[i], expected, expectedConfidence);
            Assert.True(expected.Pixels.SequenceEqual(masks[i].Pixels), $"frame {i} ({frames[i].Width}x{frames[i].Height}): the batch's mask differs from the single-frame mask");
            Assert.Equal(expectedConfidence, confidences[i]);
        }
    }
}
