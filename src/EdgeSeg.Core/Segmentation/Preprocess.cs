using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// BGR frame bytes to a normalised NCHW float tensor in one pass per tensor row: vertical blend of two source rows,
/// then horizontal sampling, colour reorder, normalisation and planar store. Allocation-free.
/// </summary>
internal static partial class Preprocess
{
    /// <summary>Fills <paramref name="tensor"/> (3 x H x W of the plan's geometry) from a BGR frame.</summary>
    /// <param name="frame">The frame's bytes: FrameHeight rows of FrameWidth x 3 bytes.</param>
    /// <param name="tensor">The destination; exactly <see cref="PreprocessPlan.TensorLength"/> floats.</param>
    /// <param name="plan">The plan for this frame size.</param>
    /// <param name="allowSimd">False forces the scalar path (tests compare the two).</param>
    public static void Run(ReadOnlySpan<byte> frame, Span<float> tensor, PreprocessPlan plan, bool allowSimd = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var g = plan.Geometry;
        var stride = g.FrameWidth * 3;
        if (frame.Length < stride * g.FrameHeight)
        {
            throw new ArgumentException($"A {g.FrameWidth}x{g.FrameHeight} BGR frame needs {stride * g.FrameHeight} bytes; got {frame.Length}.", nameof(frame));
        }

        if (tensor.Length != plan.TensorLength)
        {
            throw new ArgumentException($"The tensor needs {plan.TensorLength} floats; got {tensor.Length}.", nameof(tensor));
        }

        var simdRows = allowSimd && Vector256.IsHardwareAccelerated;
        var simdGather = allowSimd && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        var plane = g.TensorWidth * g.TensorHeight;
        var blended = plan.RowScratch.AsSpan(0, stride);
        for (var ty = 0; ty < g.TensorHeight; ty++)
        {
            var r = ty - g.ContentY;
            if ((uint)r >= (uint)g.ContentHeight)
            {
                for (var c = 0; c < 3; c++)
                {
                    tensor.Slice((c * plane) + (ty * g.TensorWidth), g.TensorWidth).Fill(plan.Pad[c]);
                }

                continue;
            }

            var top = frame.Slice(plan.Rows.Index0[r] * stride, stride);
            var bottom = frame.Slice(plan.Rows.Index1[r] * stride, stride);
            var fy = plan.Rows.Weight[r];
            if (simdRows)
            {
                BlendRowsSimd(top, bottom, fy, blended);
            }
            else
            {
                BlendRowsScalar(top, bottom, fy, blended);
            }

            for (var c = 0; c < 3; c++)
            {
                var row = tensor.Slice((c * plane) + (ty * g.TensorWidth), g.TensorWidth);
                row[..g.ContentX].Fill(plan.Pad[c]);
                row[(g.ContentX + g.ContentWidth)..].Fill(plan.Pad[c]);
                var content = row.Slice(g.ContentX, g.ContentWidth);
                if (simdGather)
                {
                    SampleColumnsSimd(plan.RowScratch, plan.SourceChannel[c], plan.Columns, plan.Scale[c], plan.Bias[c], content);
                }
                else
                {
                    SampleColumnsScalar(blended, plan.SourceChannel[c], plan.Columns, plan.Scale[c], plan.Bias[c], content);
                }
            }
        }
    }

    /// <summary>blended[i] = top[i] + fy * (bottom[i] - top[i]), in float.</summary>
    internal static void BlendRowsScalar(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, float fy, Span<float> blended)
    {
        Debug.Assert(top.Length == bottom.Length && blended.Length >= top.Length, "rows and scratch agree");
        for (var i = 0; i < top.Length; i++)
        {
            float a = top[i];
            blended[i] = a + (fy * (bottom[i] - a));
        }
    }

    /// <summary>dst[i] = (s[i0] + w * (s[i1] - s[i0])) * scale + bias, sampling channel <paramref name="channel"/> of a blended BGR row.</summary>
    internal static void SampleColumnsScalar(ReadOnlySpan<float> blended, int channel, AxisSampling columns, float scale, float bias, Span<float> destination)
    {
        var i0 = columns.Index0;
        var i1 = columns.Index1;
        var w = columns.Weight;
        for (var x = 0; x < destination.Length; x++)
        {
            var a = blended[i0[x] + channel];
            var h = a + (w[x] * (blended[i1[x] + channel] - a));
            destination[x] = (h * scale) + bias;
        }
    }
}
