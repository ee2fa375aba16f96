using System.Numerics;
using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation over channels of x [N, C, H, W]. In training, normalises by the batch statistics (biased
    /// variance) and updates <paramref name="runningMean"/>/<paramref name="runningVar"/> in place (unbiased variance,
    /// PyTorch's convention); otherwise normalises by the running statistics.
    /// </summary>
    public static Tensor BatchNorm2d(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, bool training, float momentum = 0.1f, float eps = 1e-5f)
        => BatchNorm(x, gamma, beta, runningMean, runningVar, training, momentum, eps, relu: false);

    /// <summary>
    /// <c>Relu(BatchNorm2d(x, ...))</c> as one operation, with the same parameters and the same results bit for bit
    /// (output, running statistics and every gradient): the normalisation pass writes max(0, x * scale + shift), so
    /// there is one result tensor and one pass fewer, and the backward masks the incoming gradient by y &gt; 0 as it
    /// reads it instead of materialising the batch norm output's gradient in a separate ReLU pass.
    /// </summary>
    public static Tensor BatchNormRelu(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, bool training, float momentum = 0.1f, float eps = 1e-5f)
        => BatchNorm(x, gamma, beta, runningMean, runningVar, training, momentum, eps, relu: true);

    private static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, bool training, float momentum, float eps, bool relu)
    {
        RequireRank(x, 4, nameof(x));
        int n = x.Dim(0), c = x.Dim(1), plane = x.Dim(2) * x.Dim(3);
        RequireChannelVector(gamma, c, x, nameof(gamma));
        RequireChannelVector(beta, c, x, nameof(beta));
        RequireChannelVector(runningMean, c, x, nameof(runningMean));
        RequireChannelVector(runningVar, c, x, nameof(runningVar));
        var count = n * plane;
        if (training && count < 2)
        {
            throw new ArgumentException($"batch normalisation in training needs more than one value per channel; x has shape {x.ShapeString}.", nameof(x));
        }

        var y = Tensor.ForOp(x.ShapeArray);

        // Per channel: the mean at [ch], 1/std at [c + ch]. From the arena when one is in use: the backward reads them
        // before the arena's next reset.
        var stats = TensorArena.RentOrNew<float>(2 * c);
        var xs = x.Array;
        var ys = y.Array;
        var gs = gamma.Array;
        var bs = beta.Array;
        var rm = runningMean.Array;
        var rv = runningVar.Array;

        // Channels go in groups of BatchNormGroup, whose sums run interleaved (see Ops.BatchNorm.Sums.cs).
        var groups = (c + BatchNormGroup - 1) / BatchNormGroup;
        EngineThreads.For(groups, group =>
        {
            var ch0 = group * BatchNormGroup;
            var channels = Math.Min(BatchNormGroup, c - ch0);
            Span<double> means = stackalloc double[BatchNormGroup];
            Span<double> squares = stackalloc double[BatchNormGroup];
            if (training)
            {
                ChannelMoments(xs, n, c, plane, ch0, channels, means, squares);
            }

            for (var k = 0; k < channels; k++)
            {
                var ch = ch0 + k;
                double m, v;
                if (training)
                {
                    m = means[k];
                    var ss = squares[k];
                    v = ss / count;
                    rm[ch] = (float)(((1 - momentum) * rm[ch]) + (momentum * m));
                    rv[ch] = (float)(((1 - momentum) * rv[ch]) + (momentum * ss / (count - 1)));
                }
                else
                {
                    m = rm[ch];
                    v = rv[ch];
                }

                var inv = 1.0 / Math.Sqrt(v + eps);
                stats[ch] = (float)m;
                stats[c + ch] = (float)inv;
                var scale = (float)(gs[ch] * inv);
                var shift = (float)(bs[ch] - (m * gs[ch] * inv));
                for (var i = 0; i < n; i++)
                {
                    var offset = ((i * c) + ch) * plane;
                    NormalisePlane(xs.AsSpan(offset, plane), ys.AsSpan(offset, plane), scale, shift, relu);
                }
            }
        });

        if (Autograd.ShouldRecord(x, gamma, beta))
        {
            Autograd.Record(y, relu ? "BatchNormRelu" : "BatchNorm2d", [x, gamma, beta], gy =>
            {
                var gys = gy.Array;
                var gx = x.RequiresGrad ? x.EnsureGrad().Array : null;
                var gg = gamma.RequiresGrad ? gamma.EnsureGrad().Array : null;
                var gb = beta.RequiresGrad ? beta.EnsureGrad().Array : null;
                EngineThreads.For(groups, group =>
                {
                    var ch0 = group * BatchNormGroup;
                    var channels = Math.Min(BatchNormGroup, c - ch0);
                    Span<double> sumsDy = stackalloc double[BatchNormGroup];
                    Span<double> sumsDyXhat = stackalloc double[BatchNormGroup];
                    GradientSums(xs, gys, relu ? ys : null, stats, n, c, plane, ch0, channels, sumsDy, sumsDyXhat);
                    for (var k = 0; k < channels; k++)
                    {
                        var ch = ch0 + k;
                        double sdy = sumsDy[k], sdyx = sumsDyXhat[k];
                        if (gg is not null)
                        {
                            gg[ch] += (float)sdyx;
                        }

                        if (gb is not null)
                        {
                            gb[ch] += (float)sdy;
                        }

                        if (gx is null)
                        {
                            continue;
                        }

                        // Training: dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)); evaluation: gamma * invStd * dy.
                        var m = stats[ch];
                        var inv = stats[c + ch];
                        var scale = gs[ch] * inv;
                        var mdy = training ? (float)(sdy / count) : 0f;
                        var mdyx = training ? (float)(sdyx / count) : 0f;
                        for (var i = 0; i < n; i++)
                        {
                            var offset = ((i * c) + ch) * plane;
                            AccumulateBatchNormInputGradient(
                                xs.AsSpan(offset, plane), gys.AsSpan(offset, plane), ys.AsSpan(offset, plane), gx.AsSpan(offset, plane), m, inv, scale, mdy, mdyx, training, relu);
                        }
                    }
                });
            });
        }

        return y;
    }

    private static void RequireChannelVector(Tensor t, int channels, Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Length != channels)
        {
            throw new ArgumentException($"{name} must have {channels} elements (x {x.ShapeString}); it has shape {t.ShapeString}.", name);
        }
    }

    // dst = x * scale + shift (then max(0, .) with relu). The vector loop multiplies and then adds, never a fused
    // multiply-add, so every element gets the same two roundings as in the scalar tail.
    private static void NormalisePlane(ReadOnlySpan<float> src, Span<float> dst, float scale, float shift, bool relu)
    {
        var j = 0;
        var w = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        var vb = new Vector<float>(shift);
        if (relu)
        {
            for (; j <= src.Length - w; j += w)
            {
                var v = (new Vector<float>(src[j..]) * vs) + vb;

                // v > 0 ? v : 0, exactly Relu's choice: NaN and -0 give +0 (Vector.Max would keep them).
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, Vector<float>.Zero).CopyTo(dst[j..]);
            }

            for (; j < src.Length; j++)
            {
                var v = (src[j] * scale) + shift;
                dst[j] = v > 0f ? v : 0f;
            }

            return;
        }

        for (; j <= src.Length - w; j += w)
        {
            ((new Vector<float>(src[j..]) * vs) + vb).CopyTo(dst[j..]);
        }

        for (; j < src.Length; j++)
        {
            dst[j] = (src[j] * scale) + shift;
        }
    }

    // d += k * (g - mdy - xhat * mdyx) in training (xhat = (x - m) * inv), d += k * g in evaluation; with relu, g is
    // first masked by y > 0. Element-wise float operations in the scalar order, so the vector loop and the tail agree.
    private static void AccumulateBatchNormInputGradient(
        ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> d, float m, float inv, float k, float mdy, float mdyx, bool training, bool relu)
    {
        var j = 0;
        var w = Vector<float>.Count;
        var zero = Vector<float>.Zero;
        var vk = new Vector<float>(k);
        var vm = new Vector<float>(m);
        var vinv = new Vector<float>(inv);
        var vmdy = new Vector<float>(mdy);
        var vmdyx = new Vector<float>(mdyx);
        for (; j <= d.Length - w; j += w)
        {
            var gv = new Vector<float>(g[j..]);
            if (relu)
            {
                gv = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y[j..]), zero), gv, zero);
            }

            Vector<float> dv;
            if (training)
            {
                var xhat = (new Vector<float>(x[j..]) - vm) * vinv;
                dv = vk * ((gv - vmdy) - (xhat * vmdyx));
            }
            else
            {
                dv = vk * gv;
            }

            (new Vector<float>(d[j..]) + dv).CopyTo(d[j..]);
        }

        for (; j < d.Length; j++)
        {
            var gj = !relu || y[j] > 0f ? g[j] : 0f;
            if (training)
            {
                var xhat = (x[j] - m) * inv;
                d[j] += k * (gj - mdy - (xhat * mdyx));
            }
            else
            {
                d[j] += k * gj;
            }
        }
    }
}
