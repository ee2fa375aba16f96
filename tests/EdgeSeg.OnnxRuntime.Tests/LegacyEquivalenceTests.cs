using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// The managed-API backend against our former C-API binding (ONNX Runtime 1.30.0 from npm), in one process: every raw
/// output tensor and every mask and confidence map must be byte for byte the same.
/// </summary>
public sealed class LegacyEquivalenceTests
{
    public static TheoryData<string, UpsampleMode, int> Models => new()
    {
        { "quarter-fixed", UpsampleMode.Bilinear, 1 },
        { "quarter-fixed-metadata", UpsampleMode.Fast, 1 },
        { "dynamic-full", UpsampleMode.Bilinear, 1 },
        { "dynamic-full", UpsampleMode.Fast, 1 },
        { "twin-head", UpsampleMode.Bilinear, 1 },
        { "labels", UpsampleMode.Bilinear, 1 },
        { "float16", UpsampleMode.Fast, 1 },
        { "float16", UpsampleMode.Bilinear, 1 },
        { "bench-640x360", UpsampleMode.Bilinear, 1 },
        { "bench-heavy-640x360", UpsampleMode.Bilinear, 1 },
        { "batch-dynamic", UpsampleMode.Bilinear, 3 },
        { "batch-labels", UpsampleMode.Bilinear, 3 },
        { "batch-twin-head", UpsampleMode.Bilinear, 4 },
        { "batch-fixed2", UpsampleMode.Bilinear, 2 },
        { "bench-batch-640x360", UpsampleMode.Bilinear, 4 },
        { "default", UpsampleMode.Bilinear, 1 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Segment_SameFramesOnBothBackends_MasksConfidenceAndOutputsByteIdentical(string model, UpsampleMode mode, int batch)
    {
        var path = model == "default" ? RepoPaths.InRepo("models", "default.onnx") : TestModels.Path(model);
        var options = new SegmenterOptions
        {
            Upsample = mode,
            MaxBatchSize = batch,
            Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 },
        };
        using var current = new Segmenter(new OnnxRuntimeBackend(), path, null, options);
        using var legacy = new Segmenter(new Legacy.OnnxRuntimeBackend(), path, null, options);
        (int W, int H)[] sizes = [(160, 120), (97, 63), (640, 360), (33, 17), (160, 120), (432, 240), (160, 120), (96, 64)];
        var frames = sizes.Select((s, i) => SyntheticFrames.Make(s.W, s.H, 300 + i)).ToArray();

        // One frame at a time.
        foreach (var frame in frames)
        {
            var (mask, confidence) = Segment(current, frame);
            var (legacyMask, legacyConfidence) = Segment(legacy, frame);
            Assert.True(legacyMask.Pixels.SequenceEqual(mask.Pixels), $"{model} {frame.Width}x{frame.Height}: masks differ");
            Assert.True(legacyConfidence.AsSpan().SequenceEqual(confidence), $"{model} {frame.Width}x{frame.Height}: confidence differs");
        }

        // Batches (full and partial), then the overlap slots with three frames in flight.
        if (batch > 1)
        {
            AssertBatchesEqual(current, legacy, frames, model);
            AssertBatchesEqual(current, legacy, frames[..(batch - 1)], model);
        }

        AssertSlotsEqual(current, legacy, frames[..3], model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Run_SameInputOnBothBackends_RawOutputsByteIdentical(string model, UpsampleMode mode, int batch)
    {
        _ = mode;
        var path = model == "default" ? RepoPaths.InRepo("models", "default.onnx") : TestModels.Path(model);
        var inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 };
        var currentBackend = new OnnxRuntimeBackend();
        var legacyBackend = new Legacy.OnnxRuntimeBackend();
        Assert.StartsWith("1.32.", currentBackend.Library.Version, StringComparison.Ordinal);
        Assert.StartsWith("1.30.", legacyBackend.Library.Version, StringComparison.Ordinal);
        using var current = currentBackend.Open(path, inference);
        using var legacy = legacyBackend.Open(path, inference);
        Assert.Equal(legacy.Inputs, current.Inputs, TensorInfoComparer.Instance);
        Assert.Equal(legacy.Outputs, current.Outputs, TensorInfoComparer.Instance);
        Assert.Equal(legacy.Metadata.OrderBy(p => p.Key), current.Metadata.OrderBy(p => p.Key));
        var input = current.Inputs[0];
        long[] shape = [.. input.Shape.Select((d, i) => d >= 0 ? d : i == 0 ? batch : i == 1 ? 3 : i == 2 ? 48 : 72)];
        var outputs = current.Outputs.Select(o => o.Name).ToArray();
        using var a = current.Bind(input.Name, shape, outputs);
        using var b = legacy.Bind(input.Name, shape, outputs);
        var random = new Random(5);
        for (var round = 0; round < 3; round++)
        {
            if (a.InputType == TensorElementType.Float32)
            {
                for (var i = 0; i < a.InputFloat.Length; i++)
                {
                    a.InputFloat[i] = b.InputFloat[i] = (float)((random.NextDouble() * 4) - 2);
                }
            }
            else
            {
                for (var i = 0; i < a.InputHalf.Length; i++)
                {
                    a.InputHalf[i] = b.InputHalf[i] = (Half)((random.NextDouble() * 4) - 2);
                }
            }

            var runBatch = round == 2 && a.BatchCapacity > 1 && current.Inputs[0].Shape[0] < 0 ? a.BatchCapacity - 1 : a.BatchCapacity;
            a.Run(runBatch);
            b.Run(runBatch);
            for (var o = 0; o < outputs.Length; o++)
            {
                var x = a.GetOutput(o);
                var y = b.GetOutput(o);
                Assert.Equal(y.ElementType, x.ElementType);
                Assert.Equal(y.Shape.ToArray(), x.Shape.ToArray());
                Assert.True(y.As<byte>().SequenceEqual(x.As<byte>()), $"{model} output {outputs[o]} round {round}: bytes differ");
            }
        }
    }

    private static (Mask Mask, float[] Confidence) Segment(Segmenter segmenter, ImageBuffer frame)
    {
        var mask = new Mask(frame.Width, frame.Height);
        var confidence = new float[frame.Width * frame.Height];
        segmenter.Segment(frame, mask, confidence);
        return (mask, confidence);
    }

    private static void AssertBatchesEqual(Segmenter current, Segmenter legacy, ImageBuffer[] frames, string model)
    {
        var masks = frames.Select(f => new Mask(f.Width, f.Height)).ToArray();
        var legacyMasks = frames.Select(f => new Mask(f.Width, f.Height)).ToArray();
        var confidence = frames.Select(f => (float[]?)new float[f.Width * f.Height]).ToArray();
        var legacyConfidence = frames.Select(f => (float[]?)new float[f.Width * f.Height]).ToArray();
        current.SegmentBatch(frames, masks, confidence);
        legacy.SegmentBatch(frames, legacyMasks, legacyConfidence);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.True(legacyMasks[i].Pixels.SequenceEqual(masks[i].Pixels), $"{model} batch of {frames.Length}, frame {i}: masks differ");
            Assert.True(legacyConfidence[i].AsSpan().SequenceEqual(confidence[i]), $"{model} batch of {frames.Length}, frame {i}: confidence differs");
        }
    }

    private static void AssertSlotsEqual(Segmenter current, Segmenter legacy, ImageBuffer[] frames, string model)
    {
        var a = frames.Select(f => current.RentSlot(f.Width, f.Height)).ToArray();
        var b = frames.Select(f => legacy.RentSlot(f.Width, f.Height)).ToArray();
        for (var i = 0; i < frames.Length; i++)
        {
            current.Prepare(a[i], frames[i]);
            legacy.Prepare(b[i], frames[i]);
        }

        for (var i = 0; i < frames.Length; i++)
        {
            current.Run(a[i]);
            legacy.Run(b[i]);
        }

        for (var i = frames.Length - 1; i >= 0; i--)
        {
            var (w, h) = (frames[i].Width, frames[i].Height);
            var (m1, m2) = (new Mask(w, h), new Mask(w, h));
            var (c1, c2) = (new float[w * h], new float[w * h]);
            current.Decode(a[i], m1, c1);
            legacy.Decode(b[i], m2, c2);
            Assert.True(m2.Pixels.SequenceEqual(m1.Pixels), $"{model} slot {i}: masks differ");
            Assert.True(c2.AsSpan().SequenceEqual(c1), $"{model} slot {i}: confidence differs");
            current.ReturnSlot(a[i]);
            legacy.ReturnSlot(b[i]);
        }
    }

    private sealed class TensorInfoComparer : IEqualityComparer<TensorInfo>
    {
        public static readonly TensorInfoComparer Instance = new();

        public bool Equals(TensorInfo? x, TensorInfo? y) =>
            x is not null && y is not null && x.Name == y.Name && x.ElementType == y.ElementType
            && x.Shape.SequenceEqual(y.Shape) && x.SymbolicDimensions.SequenceEqual(y.SymbolicDimensions);

        public int GetHashCode(TensorInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
