using System.Numerics;

namespace EdgeSeg.Training.Kernels;

/// <summary>Small element-wise span kernels: a vector loop over the bulk and a scalar tail with identical results.</summary>
internal static class Simd
{
    public static void AddInPlace(Span<float> dst, ReadOnlySpan<float> src)
    {
        var i = 0;
        var w = Vector<float>.Count;
        for (; i <= dst.Length - w; i += w)
        {
            (new Vector<float>(dst[i..]) + new Vector<float>(src[i..])).CopyTo(dst[i..]);
        }

        for (; i < dst.Length; i++)
        {
            dst[i] += src[i];
        }
    }

    public static void Scale(Span<float> dst, float s)
    {
        var i = 0;
        var w = Vector<float>.Count;
        var vs = new Vector<float>(s);
        for (; i <= dst.Length - w; i += w)
        {
            (new Vector<float>(dst[i..]) * vs).CopyTo(dst[i..]);
        }

        for (; i < dst.Length; i++)
        {
            dst[i] *= s;
        }
    }

    /// <summary>Sum in double, sequential (deterministic).</summary>
    public static double Sum(ReadOnlySpan<float> x)
    {
        var s = 0.0;
        foreach (var v in x)
        {
            s += v;
        }

        return s;
    }
}
