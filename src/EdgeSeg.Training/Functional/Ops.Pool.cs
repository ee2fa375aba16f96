using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>2x2 max-pooling with stride 2 (odd trailing rows/columns dropped, as PyTorch's floor mode).</summary>
    public static Tensor MaxPool2x2(Tensor x)
    {
        RequireRank(x, 4, nameof(x));
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int ho = h / 2, wo = w / 2;
        if (ho == 0 || wo == 0)
        {
            throw new ArgumentException($"2x2 max-pooling needs H and W >= 2; x has shape {x.ShapeString}.", nameof(x));
        }

        var y = Tensor.ForOp(n, c, ho, wo);
        var record = Autograd.ShouldRecord(x);
        var argmax = record ? TensorArena.RentOrNew<int>(y.Length) : null;
        var xs = x.Array;
        var ys = y.Array;
        EngineThreads.For(n * c, p =>
        {
            var src = p * h * w;
            var dst = p * ho * wo;
            for (var oy = 0; oy < ho; oy++)
            {
                for (var ox = 0; ox < wo; ox++)
                {
                    var i0 = src + (2 * oy * w) + (2 * ox);
                    var best = i0;
                    // Strict '>' keeps the first maximum in row-major window order (PyTorch's choice).
                    if (xs[i0 + 1] > xs[best])
                    {
                        best = i0 + 1;
                    }

                    if (xs[i0 + w] > xs[best])
                    {
                        best = i0 + w;
                    }

                    if (xs[i0 + w + 1] > xs[best])
                    {
                        best = i0 + w + 1;
                    }

                    var o = dst + (oy * wo) + ox;
                    ys[o] = xs[best];
                    if (argmax is not null)
                    {
                        argmax[o] = best;
                    }
                }
            }
        });

        if (record)
        {
            RecordMaxPoolBackward(y, "MaxPool2x2", x, argmax!);
        }

        return y;
    }

    // A max-pool's backward: each output's gradient goes to the input element that was its maximum.
    private static void RecordMaxPoolBackward(Tensor y, string name, Tensor x, int[] argmax) =>
        Autograd.Record(y, name, [x], gy =>
        {
            var gx = x.EnsureGrad().Array;
            var g = gy.Array;
            for (var i = 0; i < argmax.Length; i++)
            {
                gx[argmax[i]] += g[i];
            }
        });
}
