using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Vector versions of the pre-processing loops; each computes exactly what its scalar twin computes.</summary>
internal static partial class Preprocess
{
    /// <summary>SIMD <see cref="BlendRowsScalar"/>: 32 bytes per step widened to four float vectors.</summary>
    internal static void BlendRowsSimd(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, float fy, Span<float> blended)
    {
        var n = top.Length;
        var i = 0;
        var w = Vector256.Create(fy);
        ref var t = ref MemoryMarshal.GetReference(top);
        ref var b = ref MemoryMarshal.GetReference(bottom);
        ref var d = ref MemoryMarshal.GetReference(blended);
        for (; i + 32 <= n; i += 32)
        {
            var (t0, t1) = Widen(Vector256.LoadUnsafe(ref t, (nuint)i));
            var (b0, b1) = Widen(Vector256.LoadUnsafe(ref b, (nuint)i));

            // Same operation order as the scalar loop (a + fy * (b - a)), no fused multiply-add: identical results.
            (t0.Item1 + (w * (b0.Item1 - t0.Item1))).StoreUnsafe(ref d, (nuint)i);
            (t0.Item2 + (w * (b0.Item2 - t0.Item2))).StoreUnsafe(ref d, (nuint)(i + 8));
            (t1.Item1 + (w * (b1.Item1 - t1.Item1))).StoreUnsafe(ref d, (nuint)(i + 16));
            (t1.Item2 + (w * (b1.Item2 - t1.Item2))).StoreUnsafe(ref d, (nuint)(i + 24));
        }

        BlendRowsScalar(top[i..], bottom[i..], fy, blended[i..]);
    }

    /// <summary>SIMD <see cref="SampleColumnsScalar"/>: AVX2 gathers of 8 columns at a time.</summary>
    internal static unsafe void SampleColumnsSimd(float[] blended, int channel, AxisSampling columns, float scale, float bias, Span<float> destination)
    {
        if (!Avx2.IsSupported)
        {
            SampleColumnsScalar(blended, channel, columns, scale, bias, destination);
            return;
        }

        var n = destination.Length;
        var x = 0;
        var vs = Vector256.Create(scale);
        var vb = Vector256.Create(bias);
        fixed (float* src = blended)
        fixed (int* i0 = columns.Index0)
        fixed (int* i1 = columns.Index1)
        fixed (float* w = columns.Weight)
        fixed (float* dst = destination)
        {
            var basePtr = src + channel;
            for (; x + 8 <= n; x += 8)
            {
                var a = Avx2.GatherVector256(basePtr, Avx.LoadVector256(i0 + x), 4);
                var b = Avx2.GatherVector256(basePtr, Avx.LoadVector256(i1 + x), 4);
                var h = a + (Avx.LoadVector256(w + x) * (b - a));
                ((h * vs) + vb).Store(dst + x);
            }
        }

        for (; x < n; x++)
        {
            var a = blended[columns.Index0[x] + channel];
            var h = a + (columns.Weight[x] * (blended[columns.Index1[x] + channel] - a));
            destination[x] = (h * scale) + bias;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ((Vector256<float>, Vector256<float>), (Vector256<float>, Vector256<float>)) Widen(Vector256<byte> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        var (a, b) = Vector256.Widen(lo);
        var (c, e) = Vector256.Widen(hi);
        return ((Vector256.ConvertToSingle(a.AsInt32()), Vector256.ConvertToSingle(b.AsInt32())),
                (Vector256.ConvertToSingle(c.AsInt32()), Vector256.ConvertToSingle(e.AsInt32())));
    }
}
