using System.Diagnostics;
using System.Numerics;

namespace EdgeSeg.Training.Functional;

// The batch norm's per-channel sums. Each is a sequential sum in double whose order fixes the result's bits, so each
// is one dependency chain of floating-point additions, and a single chain runs at the adder's latency, not its
// throughput. Running the chains of BatchNormGroup channels side by side in one loop keeps that many additions in flight
// while every channel's own chain (its order and its bits) stays exactly what a one-channel loop computes.
public static partial class Ops
{
    private const int BatchNormGroup = 4;

    // means[k] = mean and squares[k] = sum of squared deviations of channel ch0 + k, k < channels. Two passes: the mean
    // must be known before the squared deviations are summed (a one-pass sum of squares would give other, less
    // accurate, bits). Per channel: per image, a plane sum from 0 (Simd.Sum's order), added to the channel's total.
    private static void ChannelMoments(float[] xs, int n, int c, int plane, int ch0, int channels, Span<double> means, Span<double> squares)
    {
        var count = n * plane;
        if (channels != BatchNormGroup)
        {
            for (var k = 0; k < channels; k++)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var p = xs.AsSpan((((i * c) + ch0 + k) * plane), plane);
                    var a = 0.0;
                    foreach (var v in p)
                    {
                        a += v;
                    }

                    s += a;
                }

                var m = s / count;
                var ss = 0.0;
                for (var i = 0; i < n; i++)
                {
                    foreach (var v in xs.AsSpan((((i * c) + ch0 + k) * plane), plane))
                    {
                        var d = v - m;
                        ss += d * d;
                    }
                }

                means[k] = m;
                squares[k] = ss;
            }

            return;
        }

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (var i = 0; i < n; i++)
        {
            var offset = ((i * c) + ch0) * plane;
            var p0 = xs.AsSpan(offset, plane);
            var p1 = xs.AsSpan(offset + plane, plane);
            var p2 = xs.AsSpan(offset + (2 * plane), plane);
            var p3 = xs.AsSpan(offset + (3 * plane), plane);
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (var j = 0; j < plane; j++)
            {
                a0 += p0[j];
                a1 += p1[j];
                a2 += p2[j];
                a3 += p3[j];
            }

            s0 += a0;
            s1 += a1;
            s2 += a2;
            s3 += a3;
        }

        double m0 = s0 / count, m1 = s1 / count, m2 = s2 / count, m3 = s3 / count;
        double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (var i = 0; i < n; i++)
        {
            var offset = ((i * c) + ch0) * plane;
            var p0 = xs.AsSpan(offset, plane);
            var p1 = xs.AsSpan(offset + plane, plane);
            var p2 = xs.AsSpan(offset + (2 * plane), plane);
            var p3 = xs.AsSpan(offset + (3 * plane), plane);
            for (var j = 0; j < plane; j++)
            {
                var d0 = p0[j] - m0;
                var d1 = p1[j] - m1;
                var d2 = p2[j] - m2;
                var d3 = p3[j] - m3;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
        }

        (means[0], means[1], means[2], means[3]) = (m0, m1, m2, m3);
        (squares[0], squares[1], squares[2], squares[3]) = (q0, q1, q2, q3);
    }

    // sumsDy[k] = sum(g), sumsDyXhat[k] = sum(g * xhat) of channel ch0 + k, with xhat = (x - mean) * invStd in float
    // from stats (mean at [ch], invStd at [c + ch]). With relu (ys not null), g is the incoming gradient masked by
    // y > 0: exactly the gradient the unfused ReLU would have handed the batch norm. The float terms are formed a block
    // at a time by a vector loop (the mask as a select: a branch on the sign of y would mispredict half the time),
    // then added to the double sums one by one, in order.
    private static void GradientSums(
        float[] xs, float[] gys, float[]? ys, float[] stats, int n, int c, int plane, int ch0, int channels, Span<double> sumsDy, Span<double> sumsDyXhat)
    {
        const int Block = 256;
        Debug.Assert(channels is > 0 and <= BatchNormGroup, "a group has 1 to BatchNormGroup channels");
        Span<float> terms = stackalloc float[2 * BatchNormGroup * Block];
        sumsDy[..channels].Clear();
        sumsDyXhat[..channels].Clear();
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j0 = 0; j0 < plane; j0 += Block)
            {
                var len = Math.Min(Block, plane - j0);
                for (var k = 0; k < channels; k++)
                {
                    var ch = ch0 + k;
                    var offset = (((i * c) + ch) * plane) + j0;
                    GradientTerms(
                        xs.AsSpan(offset, len),
                        gys.AsSpan(offset, len),
                        ys is null ? default : ys.AsSpan(offset, len),
                        stats[ch],
                        stats[c + ch],
                        terms.Slice(2 * k * Block, len),
                        terms.Slice(((2 * k) + 1) * Block, len));
                }

                if (channels == BatchNormGroup)
                {
                    var h0 = terms[..len];
                    var p0 = terms.Slice(Block, len);
                    var h1 = terms.Slice(2 * Block, len);
                    var p1 = terms.Slice(3 * Block, len);
                    var h2 = terms.Slice(4 * Block, len);
                    var p2 = terms.Slice(5 * Block, len);
                    var h3 = terms.Slice(6 * Block, len);
                    var p3 = terms.Slice(7 * Block, len);
                    for (var j = 0; j < len; j++)
                    {
                        d0 += h0[j];
                        d1 += h1[j];
                        d2 += h2[j];
                        d3 += h3[j];
                        e0 += p0[j];
                        e1 += p1[j];
                        e2 += p2[j];
                        e3 += p3[j];
                    }

                    continue;
                }

                // Fewer channels (only when C is not a multiple of the group): one chain at a time, kept in the spans.
                for (var k = 0; k < channels; k++)
                {
                    var h = terms.Slice(2 * k * Block, len);
                    var p = terms.Slice(((2 * k) + 1) * Block, len);
                    double d = sumsDy[k], e = sumsDyXhat[k];
                    for (var j = 0; j < len; j++)
                    {
                        d += h[j];
                        e += p[j];
                    }

                    sumsDy[k] = d;
                    sumsDyXhat[k] = e;
                }
            }
        }

        if (channels == BatchNormGroup)
        {
            (sumsDy[0], sumsDy[1], sumsDy[2], sumsDy[3]) = (d0, d1, d2, d3);
            (sumsDyXhat[0], sumsDyXhat[1], sumsDyXhat[2], sumsDyXhat[3]) = (e0, e1, e2, e3);
        }
    }

    // h = g (masked by y > 0 when y is not empty) and p = h * ((x - m) * inv), element-wise in float with the scalar
    // expressions' operations and order, so the vector loop and the tail agree.
    private static void GradientTerms(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> y, float m, float inv, Span<float> h, Span<float> p)
    {
        var relu = !y.IsEmpty;
        var j = 0;
        var w = Vector<float>.Count;
        var vm = new Vector<float>(m);
        var vinv = new Vector<float>(inv);
        for (; j <= x.Length - w; j += w)
        {
            var gv = new Vector<float>(g[j..]);
            if (relu)
            {
                gv = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y[j..]), Vector<float>.Zero), gv, Vector<float>.Zero);
            }

            gv.CopyTo(h[j..]);
            (gv * ((new Vector<float>(x[j..]) - vm) * vinv)).CopyTo(p[j..]);
        }

        for (; j < x.Length; j++)
        {
            var gj = !relu || y[j] > 0f ? g[j] : 0f;
            h[j] = gj;
            p[j] = gj * ((x[j] - m) * inv);
        }
    }
}
