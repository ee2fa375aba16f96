using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Model outputs to an appliance-class mask at the frame's exact size. Scores are upsampled bilinearly (ONNX Resize
/// half_pixel) before the arg-max by default; the fast mode takes the arg-max at model resolution and upsamples
/// labels nearest-neighbour. Allocation-free given a plan.
/// </summary>
internal static partial class Postprocess
{
    /// <summary>
    /// Scores (C x Ho x Wo, logits or probabilities) to a mask by bilinear upsampling then arg-max. Ties go to the
    /// lower class index.
    /// </summary>
    /// <param name="scores">The output's scores, class-planar.</param>
    /// <param name="plan">The plan for this output shape and frame size.</param>
    /// <param name="mask">Receives appliance classes, FrameHeight x FrameWidth.</param>
    /// <param name="confidence">Receives the max probability per pixel, or empty to skip it.</param>
    /// <param name="probabilities">True when scores are already probabilities (confidence = the max score).</param>
    /// <param name="allowSimd">False forces the scalar path.</param>
    public static void ScoresBilinear(ReadOnlySpan<float> scores, PostprocessPlan plan, Span<byte> mask, Span<float> confidence, bool probabilities, bool allowSimd = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CheckSizes(scores.Length, plan, mask, confidence);
        var w = plan.FrameWidth;
        var simd = allowSimd && Vector256.IsHardwareAccelerated;
        var gather = allowSimd && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        plan.ResetRowCache();
        for (var y = 0; y < plan.FrameHeight; y++)
        {
            var r0 = plan.Rows.Index0[y];
            var r1 = plan.Rows.Index1[y];
            var top = plan.FindRow(r0);
            if (top < 0)
            {
                top = plan.ClaimRow(r0, r1);
                UpsampleRow(scores, plan, r0, plan.UpsampledRows[top], gather);
            }

            var bottom = plan.FindRow(r1);
            if (bottom < 0)
            {
                bottom = plan.ClaimRow(r1, r0);
                UpsampleRow(scores, plan, r1, plan.UpsampledRows[bottom], gather);
            }

            var confRow = confidence.IsEmpty ? Span<float>.Empty : confidence.Slice(y * w, w);
            if (simd)
            {
                BlendArgMaxSimd(plan.UpsampledRows[top], plan.UpsampledRows[bottom], plan.Rows.Weight[y], plan.Classes, w, plan.ClassRow, confRow, probabilities);
            }
            else
            {
                BlendArgMaxScalar(plan.UpsampledRows[top], plan.UpsampledRows[bottom], plan.Rows.Weight[y], plan.Classes, w, 0, plan.ClassRow, confRow, probabilities);
            }

            var lut = plan.ClassToAppliance;
            var classRow = plan.ClassRow;
            var maskRow = mask.Slice(y * w, w);
            for (var x = 0; x < maskRow.Length; x++)
            {
                maskRow[x] = lut[classRow[x]];
            }
        }
    }

    /// <summary>Fast mode: arg-max at model resolution, then nearest-neighbour upsampling of classes and confidence.</summary>
    public static void ScoresFast(ReadOnlySpan<float> scores, PostprocessPlan plan, Span<byte> mask, Span<float> confidence, bool probabilities)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CheckSizes(scores.Length, plan, mask, confidence);
        var plane = plan.OutputHeight * plan.OutputWidth;
        var lut = plan.ClassToAppliance;
        for (var i = 0; i < plane; i++)
        {
            var best = scores[i];
            var bestClass = 0;
            for (var c = 1; c < plan.Classes; c++)
            {
                var v = scores[(c * plane) + i];
                if (v > best)
                {
                    best = v;
                    bestClass = c;
                }
            }

            plan.LowResClasses[i] = lut[bestClass];
            if (!confidence.IsEmpty)
            {
                plan.LowResConfidence[i] = probabilities ? best : Softmax(scores, plane, i, plan.Classes, best);
            }
        }

        NearestUpsample(plan, mask, confidence);
    }

    /// <summary>A labels output (integer class indices, Ho x Wo) to a mask by nearest-neighbour upsampling; confidence 1.</summary>
    /// <remarks>A label outside the card's class list is taken as background.</remarks>
    public static void Labels<T>(ReadOnlySpan<T> labels, PostprocessPlan plan, Span<byte> mask, Span<float> confidence)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(plan);
        var plane = plan.OutputHeight * plan.OutputWidth;
        if (labels.Length != plane)
        {
            throw new ArgumentException($"A {plan.OutputHeight}x{plan.OutputWidth} labels output has {plane} values; got {labels.Length}.", nameof(labels));
        }

        var lut = plan.ClassToAppliance;
        var classes = (uint)plan.Classes;
        for (var i = 0; i < plane; i++)
        {
            var v = uint.CreateTruncating(labels[i]);
            plan.LowResClasses[i] = v < classes && T.IsPositive(labels[i]) ? lut[v] : (byte)0;
            plan.LowResConfidence[i] = 1f;
        }

        NearestUpsample(plan, mask, confidence);
    }

    /// <summary>
    /// Merges <paramref name="other"/> into <paramref name="mask"/>: a pixel takes the other class when it ranks higher
    /// (<paramref name="rank"/> by appliance class; background ranks lowest). Confidence follows the chosen class.
    /// </summary>
    public static void Combine(Span<byte> mask, Span<float> confidence, ReadOnlySpan<byte> other, ReadOnlySpan<float> otherConfidence, ReadOnlySpan<byte> rank)
    {
        Debug.Assert(mask.Length == other.Length, "masks agree");
        var withConfidence = !confidence.IsEmpty;
        for (var i = 0; i < mask.Length; i++)
        {
            var o = other[i];
            if (rank[o] > rank[mask[i]])
            {
                mask[i] = o;
                if (withConfidence)
                {
                    confidence[i] = otherConfidence[i];
                }
            }
        }
    }

    /// <summary>
    /// One frame row from two horizontally upsampled output rows: per class v = top + fy * (bottom - top), arg-max
    /// (first maximum wins), and the max probability. Starts at column <paramref name="start"/>.
    /// </summary>
    internal static void BlendArgMaxScalar(float[] top, float[] bottom, float fy, int classes, int width, int start, int[] classRow, Span<float> confidence, bool probabilities)
    {
        for (var x = start; x < width; x++)
        {
            var best = top[x] + (fy * (bottom[x] - top[x]));
            var bestClass = 0;
            for (var c = 1; c < classes; c++)
            {
                var i = (c * width) + x;
                var v = top[i] + (fy * (bottom[i] - top[i]));
                if (v > best)
                {
                    best = v;
                    bestClass = c;
                }
            }

            classRow[x] = bestClass;
            if (!confidence.IsEmpty)
            {
                if (probabilities)
                {
                    confidence[x] = best;
                }
                else
                {
                    var sum = 0f;
                    for (var c = 0; c < classes; c++)
                    {
                        var i = (c * width) + x;
                        sum += MathF.Exp(top[i] + (fy * (bottom[i] - top[i])) - best);
                    }

                    confidence[x] = 1f / sum;
                }
            }
        }
    }

    /// <summary>Output row <paramref name="row"/> upsampled horizontally to the frame width, class-planar, into <paramref name="destination"/>.</summary>
    internal static void UpsampleRowScalar(ReadOnlySpan<float> scores, PostprocessPlan plan, int row, float[] destination, int start)
    {
        var w = plan.FrameWidth;
        var plane = plan.OutputHeight * plan.OutputWidth;
        var i0 = plan.Columns.Index0;
        var i1 = plan.Columns.Index1;
        var wx = plan.Columns.Weight;
        for (var c = 0; c < plan.Classes; c++)
        {
            var src = scores.Slice((c * plane) + (row * plan.OutputWidth), plan.OutputWidth);
            var dst = destination.AsSpan(c * w, w);
            for (var x = start; x < w; x++)
            {
                var a = src[i0[x]];
                dst[x] = a + (wx[x] * (src[i1[x]] - a));
            }
        }
    }

    private static void UpsampleRow(ReadOnlySpan<float> scores, PostprocessPlan plan, int row, float[] destination, bool gather)
    {
        if (gather)
        {
            UpsampleRowSimd(scores, plan, row, destination);
        }
        else
        {
            UpsampleRowScalar(scores, plan, row, destination, 0);
        }
    }

    private static void NearestUpsample(PostprocessPlan plan, Span<byte> mask, Span<float> confidence)
    {
        var w = plan.FrameWidth;
        var nx = plan.Columns.Nearest;
        for (var y = 0; y < plan.FrameHeight; y++)
        {
            var srcOffset = plan.Rows.Nearest[y] * plan.OutputWidth;
            var src = plan.LowResClasses.AsSpan(srcOffset, plan.OutputWidth);
            var dst = mask.Slice(y * w, w);
            for (var x = 0; x < dst.Length; x++)
            {
                dst[x] = src[nx[x]];
            }

            if (!confidence.IsEmpty)
            {
                var srcConf = plan.LowResConfidence.AsSpan(srcOffset, plan.OutputWidth);
                var dstConf = confidence.Slice(y * w, w);
                for (var x = 0; x < dstConf.Length; x++)
                {
                    dstConf[x] = srcConf[nx[x]];
                }
            }
        }
    }

    private static float Softmax(ReadOnlySpan<float> scores, int plane, int i, int classes, float max)
    {
        var sum = 0f;
        for (var c = 0; c < classes; c++)
        {
            sum += MathF.Exp(scores[(c * plane) + i] - max);
        }

        return 1f / sum;
    }

    private static void CheckSizes(int scoreLength, PostprocessPlan plan, Span<byte> mask, Span<float> confidence)
    {
        var expected = plan.Classes * plan.OutputHeight * plan.OutputWidth;
        if (scoreLength != expected)
        {
            throw new ArgumentException($"A {plan.Classes}x{plan.OutputHeight}x{plan.OutputWidth} output has {expected} values; got {scoreLength}.", nameof(scoreLength));
        }

        var pixels = plan.FrameWidth * plan.FrameHeight;
        if (mask.Length != pixels)
        {
            throw new ArgumentException($"The mask needs {pixels} bytes; got {mask.Length}.", nameof(mask));
        }

        if (!confidence.IsEmpty && confidence.Length != pixels)
        {
            throw new ArgumentException($"The confidence buffer needs {pixels} floats (or none); got {confidence.Length}.", nameof(confidence));
        }
    }
}
