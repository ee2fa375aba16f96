using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Vector versions of the post-processing loops; class decisions are identical to the scalar twins.</summary>
internal static partial class Postprocess
{
    /// <summary>SIMD <see cref="UpsampleRowScalar"/>: AVX2 gathers of 8 frame columns per class.</summary>
    internal static unsafe void UpsampleRowSimd(ReadOnlySpan<float> scores, PostprocessPlan plan, int row, float[] destination)
    {
        if (!Avx2.IsSupported)
        {
            UpsampleRowScalar(scores, plan, row, destination, 0);
            return;
        }

        var w = plan.FrameWidth;
        var plane = plan.OutputHeight * plan.OutputWidth;
        var x = 0;
        fixed (float* src = scores)
        fixed (int* i0 = plan.Columns.Index0)
        fixed (int* i1 = plan.Columns.Index1)
        fixed (float* wx = plan.Columns.Weight)
        fixed (float* dst = destination)
        {
            for (var c = 0; c < plan.Classes; c++)
            {
                var s = src + (c * plane) + (row * plan.OutputWidth);
                var d = dst + (c * w);
                for (x = 0; x + 8 <= w; x += 8)
                {
                    var a = Avx2.GatherVector256(s, Avx.LoadVector256(i0 + x), 4);
                    var b = Avx2.GatherVector256(s, Avx.LoadVector256(i1 + x), 4);
                    (a + (Avx.LoadVector256(wx + x) * (b - a))).Store(d + x);
                }
            }
        }

        if (x < w)
        {
            UpsampleRowScalar(scores, plan, row, destination, x);
        }
    }

    /// <summary>SIMD <see cref="BlendArgMaxScalar"/>: 8 pixels per step, classes compared lane-wise.</summary>
    internal static void BlendArgMaxSimd(float[] top, float[] bottom, float fy, int classes, int width, int[] classRow, Span<float> confidence, bool probabilities)
    {
        var x = 0;
        var vfy = Vector256.Create(fy);
        var withConfidence = !confidence.IsEmpty;
        for (; x + 8 <= width; x += 8)
        {
            var t = Vector256.Create(top.AsSpan(x, 8));
            var best = t + (vfy * (Vector256.Create(bottom.AsSpan(x, 8)) - t));
            var bestClass = Vector256<int>.Zero;
            for (var c = 1; c < classes; c++)
            {
                var i = (c * width) + x;
                var tc = Vector256.Create(top.AsSpan(i, 8));
                var v = tc + (vfy * (Vector256.Create(bottom.AsSpan(i, 8)) - tc));

                // Strictly greater, like the scalar loop: the first maximum wins a tie.
                var greater = Vector256.GreaterThan(v, best);
                best = Vector256.ConditionalSelect(greater, v, best);
                bestClass = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(c), bestClass);
            }

            bestClass.CopyTo(classRow.AsSpan(x, 8));
            if (withConfidence)
            {
                if (probabilities)
                {
                    best.CopyTo(confidence.Slice(x, 8));
                }
                else
                {
                    var sum = Vector256<float>.Zero;
                    for (var c = 0; c < classes; c++)
                    {
                        var i = (c * width) + x;
                        var tc = Vector256.Create(top.AsSpan(i, 8));
                        sum += Vector256.Exp(tc + (vfy * (Vector256.Create(bottom.AsSpan(i, 8)) - tc)) - best);
                    }

                    (Vector256<float>.One / sum).CopyTo(confidence.Slice(x, 8));
                }
            }
        }

        if (x < width)
        {
            BlendArgMaxScalar(top, bottom, fy, classes, width, x, classRow, confidence, probabilities);
        }
    }
}
