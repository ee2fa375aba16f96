using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// A frame's pre-processing, model run and post-processing split across threads through a
/// <see cref="SegmentationSlot"/>, against the real runtime: the mask and confidence must be byte for byte what one
/// <see cref="Segmenter.Segment"/> call gives, whichever thread does which step and however many slots are out.
/// </summary>
public sealed class SegmenterSlotTests
{
    [Theory]
    [InlineData("dynamic-full", UpsampleMode.Bilinear)]
    [InlineData("quarter-fixed", UpsampleMode.Bilinear)]
    [InlineData("twin-head", UpsampleMode.Bilinear)]
    [InlineData("labels", UpsampleMode.Bilinear)]
    [InlineData("float16", UpsampleMode.Fast)]
    [InlineData("dynamic-full", UpsampleMode.Fast)]
    public async Task SlotSteps_OnThreeThreads_MaskAndConfidenceEqualSegment(string model, UpsampleMode mode)
    {
        using var segmenter = TestModels.Open(model, mode);
        using var reference = TestModels.Open(model, mode);
        foreach (var (width, height) in new[] { (160, 120), (97, 63) })
        {
            var frame = SyntheticFrames.Make(width, height, width + height);
            var (expectedMask, expectedConfidence) = SegmentWhole(reference, frame);

            var slot = await Task.Run(() =>
            {
                var rented = segmenter.RentSlot(width, height);
                segmenter.Prepare(rented, frame);
                return rented;
            });
            Assert.Equal(SegmentationSlotState.Prepared, slot.State);
            await Task.Run(() => segmenter.Run(slot));
            Assert.Equal(SegmentationSlotState.Ran, slot.State);
            var (mask, confidence) = await Task.Run(() =>
            {
                var m = new Mask(width, height);
                var c = new float[width * height];
                segmenter.Decode(slot, m, c);
                return (m, c);
            });

            Assert.Equal(SegmentationSlotState.Decoded, slot.State);
            Assert.True(expectedMask.Pixels.SequenceEqual(mask.Pixels), $"{model} {width}x{height}: the mask differs from Segment's");
            Assert.True(expectedConfidence.AsSpan().SequenceEqual(confidence), $"{model} {width}x{height}: the confidence differs from Segment's");
            Assert.True(slot.Timings.Preprocess > TimeSpan.Zero && slot.Timings.Inference > TimeSpan.Zero && slot.Timings.Postprocess > TimeSpan.Zero);
            segmenter.ReturnSlot(slot);
        }

        Assert.Equal(0, segmenter.OutstandingSlots);
    }

    [Fact]
    public void SlotSteps_ThreeFramesInFlightDecodedInReverse_EachGetsItsOwnMask()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var frames = Enumerable.Range(0, 3).Select(i => SyntheticFrames.Make(160, 120, 40 + i)).ToArray();
        var expected = frames.Select(f => SegmentWhole(segmenter, f).Mask).ToArray();

        var slots = frames.Select(f =>
        {
            var slot = segmenter.RentSlot(160, 120);
            segmenter.Prepare(slot, f);
            return slot;
        }).ToArray();
        Assert.Equal(3, slots.Distinct().Count());
        Assert.Equal(3, segmenter.OutstandingSlots);
        foreach (var slot in slots)
        {
            segmenter.Run(slot);
        }

        for (var i = 2; i >= 0; i--)
        {
            var mask = new Mask(160, 120);
            segmenter.Decode(slots[i], mask);
            Assert.True(expected[i].Pixels.SequenceEqual(mask.Pixels), $"frame {i}: the mask differs from Segment's");
            segmenter.ReturnSlot(slots[i]);
        }

        // The frames differ, so slots sharing buffers could not pass the comparisons above.
        Assert.False(expected[0].Pixels.SequenceEqual(expected[1].Pixels));
        Assert.Equal(0, segmenter.OutstandingSlots);
    }

    [Fact]
    public void RentSlot_AfterReturnOfTheSameSize_ReusesTheSlot()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var first = segmenter.RentSlot(160, 120);
        segmenter.ReturnSlot(first);

        Assert.Same(first, segmenter.RentSlot(160, 120));
        Assert.NotSame(first, segmenter.RentSlot(160, 120));
        Assert.Equal(SegmentationSlotState.Empty, first.State);
        Assert.Equal(default, first.Timings);
    }

    [Fact]
    public void SlotSteps_AfterWarmUp_AllocateNothing()
    {
        using var segmenter = TestModels.Open("twin-head");
        var frame = SyntheticFrames.Make(160, 120, 5);
        var mask = new Mask(160, 120);
        var confidence = new float[160 * 120];

        void Cycle()
        {
            var slot = segmenter.RentSlot(160, 120);
            segmenter.Prepare(slot, frame);
            segmenter.Run(slot);
            segmenter.Decode(slot, mask, confidence);
            segmenter.ReturnSlot(slot);
        }

        Cycle();
        Cycle();

        Assert.Equal(0, Allocations.QuietestRound(Cycle));
    }

    [Fact]
    public void Run_SlotNotPrepared_ThrowsAndNamesTheState()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var slot = segmenter.RentSlot(160, 120);

        var e = Assert.Throws<InvalidOperationException>(() => segmenter.Run(slot));
        Assert.Equal("Cannot run a slot that is Empty; it must be Prepared.", e.Message);
    }

    [Fact]
    public void Decode_ModelNotRun_Throws()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var slot = segmenter.RentSlot(160, 120);
        segmenter.Prepare(slot, SyntheticFrames.Make(160, 120, 1));

        var e = Assert.Throws<InvalidOperationException>(() => segmenter.Decode(slot, new Mask(160, 120)));
        Assert.Equal("Cannot decode a slot that is Prepared; it must be Ran.", e.Message);
    }

    [Fact]
    public void Prepare_FrameOfAnotherSize_ThrowsAndNamesBothSizes()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var slot = segmenter.RentSlot(160, 120);

        var e = Assert.Throws<ArgumentException>(() => segmenter.Prepare(slot, SyntheticFrames.Make(96, 64, 1)));
        Assert.StartsWith("The frame is 96x64; the slot serves 160x120 frames.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_GreyFrame_ThrowsAndNamesTheChannels()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var slot = segmenter.RentSlot(16, 8);

        var e = Assert.Throws<ArgumentException>(() => segmenter.Prepare(slot, new ImageBuffer(16, 8, 1)));
        Assert.StartsWith("The frame has 1 channel(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SlotOfAnotherSegmenter_ThrowsAndNamesItsModel()
    {
        using var a = TestModels.Open("dynamic-full");
        using var b = TestModels.Open("labels");
        var slot = a.RentSlot(160, 120);
        a.Prepare(slot, SyntheticFrames.Make(160, 120, 1));

        var e = Assert.Throws<ArgumentException>(() => b.Run(slot));
        Assert.Contains("dynamic-full.onnx, not to this one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnSlot_Twice_Throws()
    {
        using var segmenter = TestModels.Open("dynamic-full");
        var slot = segmenter.RentSlot(160, 120);
        segmenter.ReturnSlot(slot);

        Assert.Throws<InvalidOperationException>(() => segmenter.ReturnSlot(slot));
    }

    [Fact]
    public void Dispose_SlotOut_SlotDecodesAndReturnsButCannotRunOrRent()
    {
        var segmenter = TestModels.Open("dynamic-full");
        var frame = SyntheticFrames.Make(160, 120, 9);
        var expected = SegmentWhole(segmenter, frame).Mask;
        var ran = segmenter.RentSlot(160, 120);
        segmenter.Prepare(ran, frame);
        segmenter.Run(ran);
        var prepared = segmenter.RentSlot(160, 120);
        segmenter.Prepare(prepared, frame);

        segmenter.Dispose();

        var mask = new Mask(160, 120);
        segmenter.Decode(ran, mask);
        Assert.True(expected.Pixels.SequenceEqual(mask.Pixels));
        Assert.Throws<ObjectDisposedException>(() => segmenter.Run(prepared));
        Assert.Throws<ObjectDisposedException>(() => segmenter.RentSlot(160, 120));
        segmenter.ReturnSlot(ran);
        segmenter.ReturnSlot(prepared);
        Assert.Equal(0, segmenter.OutstandingSlots);
    }

    private static (Mask Mask, float[] Confidence) SegmentWhole(Segmenter segmenter, ImageBuffer frame)
    {
        var mask = new Mask(frame.Width, frame.Height);
        var confidence = new float[frame.Width * frame.Height];
        segmenter.Segment(frame, mask, confidence);
        return (mask, confidence);
    }
}
