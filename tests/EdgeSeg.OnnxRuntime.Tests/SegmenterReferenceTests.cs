using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OpenCv;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>The segmenter's masks against the naive double-precision oracle, on synthetic and on real frames.</summary>
public sealed class SegmenterReferenceTests
{
    [Theory]
    [InlineData("quarter-fixed", 160, 96, 1, UpsampleMode.Bilinear)]
    [InlineData("quarter-fixed", 101, 67, 2, UpsampleMode.Bilinear)]
    [InlineData("quarter-fixed", 333, 250, 3, UpsampleMode.Fast)]
    [InlineData("quarter-fixed-metadata", 120, 80, 4, UpsampleMode.Bilinear)]
    [InlineData("dynamic-full", 101, 67, 5, UpsampleMode.Bilinear)]
    [InlineData("dynamic-full", 64, 48, 6, UpsampleMode.Fast)]
    [InlineData("labels", 150, 77, 7, UpsampleMode.Bilinear)]
    [InlineData("twin-head", 200, 150, 8, UpsampleMode.Bilinear)]
    [InlineData("twin-head", 97, 211, 9, UpsampleMode.Bilinear)]
    [InlineData("float16", 130, 90, 10, UpsampleMode.Bilinear)]
    public void Segment_SyntheticFrame_EqualsNaiveReference(string model, int width, int height, int seed, UpsampleMode mode)
    {
        var frame = SyntheticFrames.Make(width, height, seed);
        AssertMatchesReference(model, frame, mode);
    }

    [SharedDataTheory]
    [InlineData("camvid", "0016E5_07959", "bench-640x360")]
    [InlineData("camvid", "0016E5_08127", "twin-head")]
    [InlineData("camvid", "0016E5_08001", "dynamic-full")]
    [InlineData("camseq01", "0016E5_08099", "bench-640x360")]
    [InlineData("camseq01", "0016E5_08127", "quarter-fixed")]
    public void Segment_RealFrame_EqualsNaiveReference(string dataset, string stem, string model)
    {
        var frame = CvImage.Read(Path.Combine(RepoPaths.RequireSharedData(), dataset, "images", stem + ".jpg"), ImageReadMode.Color);
        AssertMatchesReference(model, frame, UpsampleMode.Bilinear);
    }

    private static void AssertMatchesReference(string model, ImageBuffer frame, UpsampleMode mode)
    {
        using var segmenter = TestModels.Open(model, mode);
        var mask = new Mask(frame.Width, frame.Height);
        var confidence = new float[frame.Width * frame.Height];
        segmenter.Segment(frame, mask, confidence);

        // Half-precision outputs resolve scores to about 1e-3; float32 ones to about 1e-6.
        var half = segmenter.ModelOutputs[0].ElementType == TensorElementType.Float16;
        var tolerance = half ? 2e-3 : 1e-4;
        var reference = ReferenceRun.Segment(TestModels.Path(model), segmenter.Card, frame, mode == UpsampleMode.Fast, tolerance);
        var ambiguous = 0;
        var classesSeen = new HashSet<byte>();
        for (var i = 0; i < mask.PixelCount; i++)
        {
            if (reference.Ambiguous[i])
            {
                // A near-tie in the reference: float32 and double may fall either way.
                ambiguous++;
                continue;
            }

            classesSeen.Add(mask.Pixels[i]);
            if (mask.Pixels[i] != reference.Mask[i])
            {
                Assert.Fail($"{model}: pixel ({i % frame.Width}, {i / frame.Width}) is {mask.Pixels[i]}; the reference says {reference.Mask[i]}.");
            }

            Assert.True(
                Math.Abs(confidence[i] - reference.Confidence[i]) < (half ? 2e-2 : 1e-4),
                $"{model}: confidence at ({i % frame.Width}, {i / frame.Width}) is {confidence[i]}; the reference says {reference.Confidence[i]}.");
        }

        Assert.True(ambiguous < mask.PixelCount / 100, $"{ambiguous} of {mask.PixelCount} pixels are near-ties: the comparison would prove little.");
        Assert.True(classesSeen.Count >= 2, $"{model}: the mask holds only class(es) {string.Join(", ", classesSeen)}: the comparison would prove little.");
    }
}
