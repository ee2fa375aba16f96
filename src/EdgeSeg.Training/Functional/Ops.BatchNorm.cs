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
    {
        RequireRank(x, 4, nameof(x));
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        int n = x.Dim(0), c = x.Dim(1), plane = x.Dim(2) * x.Dim(3);
        foreach (var (t, name) in new[] { (gamma, nameof(gamma)), (beta, nameof(beta)), (runningMean, nameof(runningMean)), (runningVar, nameof(runningVar)) })
        {
            if (t.Length != c)
            {
                throw new ArgumentException($"{name} must have {c} elements (x {x.ShapeString}); it has shape {t.ShapeString}.", name);
            }
        }

        var count = n * plane;
        if (training && count < 2)
        {
            throw new ArgumentException($"batch normalisation in training needs more than one value per channel; x has shape {x.ShapeString}.", nameof(x));
        }

        var y = Tensor.ForOp(x.ShapeArray);
        var mean = new float[c];
        var invStd = new float[c];
        var xs = x.Array;
        var ys = y.Array;
        var gs = gamma.Array;
        var bs = beta.Array;
        var rm = runningMean.Array;
        var rv = runningVar.Array;
        EngineThreads.For(c, ch =>
        {
            double m, v;
            if (training)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += Simd.Sum(xs.AsSpan(((i * c) + ch) * plane, plane));
                }

                m = s / count;
                var ss = 0.0;
                for (var i = 0; i < n; i++)
                {
                    foreach (var val in xs.AsSpan(((i * c) + ch) * plane, plane))
                    {
                        var d = val - m;
                        ss += d * d;
                    }
                }

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
            mean[ch] = (float)m;
            invStd[ch] = (float)inv;
            var scale = (float)(gs[ch] * inv);
            var shift = (float)(bs[ch] - (m * gs[ch] * inv));
            for (var i = 0; i < n; i++)
            {
                var src = xs.AsSpan(((i * c) + ch) * plane, plane);
                var dst = ys.AsSpan(((i * c) + ch) * plane, plane);
                for (var j = 0; j < plane; j++)
                {
                    dst[j] = (src[j] * scale) + shift;
                }
            }
        });

        if (Autograd.ShouldRecord(x, gamma, beta))
        {
            Autograd.Record(y, "BatchNorm2d", [x, gamma, beta], gy =>
            {
                var gys = gy.Array;
                var gx = x.RequiresGrad ? x.EnsureGrad().Array : null;
                var gg = gamma.RequiresGrad ? gamma.EnsureGrad().Array : null;
                var gb = beta.RequiresGrad ? beta.EnsureGrad().Array : null;
                EngineThreads.For(c, ch =>
                {
                    double sdy = 0, sdyx = 0;
                    var m = mean[ch];
                    var inv = invStd[ch];
                    for (var i = 0; i < n; i++)
                    {
                        var src = xs.AsSpan(((i * c) + ch) * plane, plane);
                        var g = gys.AsSpan(((i * c) + ch) * plane, plane);
                        for (var j = 0; j < plane; j++)
                        {
                            sdy += g[j];
                            sdyx += g[j] * ((src[j] - m) * inv);
                        }
                    }

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
                        return;
                    }

                    var k = gs[ch] * inv;
                    if (!training)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            var g = gys.AsSpan(((i * c) + ch) * plane, plane);
                            var d = gx.AsSpan(((i * c) + ch) * plane, plane);
                            for (var j = 0; j < plane; j++)
                            {
                                d[j] += k * g[j];
                            }
                        }

                        return;
                    }

                    // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
                    var mdy = (float)(sdy / count);
                    var mdyx = (float)(sdyx / count);
                    for (var i = 0; i < n; i++)
                    {
                        var src = xs.AsSpan(((i * c) + ch) * plane, plane);
                        var g = gys.AsSpan(((i * c) + ch) * plane, plane);
                        var d = gx.AsSpan(((i * c) + ch) * plane, plane);
                        for (var j = 0; j < plane; j++)
                        {
                            var xhat = (src[j] - m) * inv;
                            d[j] += k * (g[j] - mdy - (xhat * mdyx));
                        }
                    }
                });
            });
        }

        return y;
    }
}
