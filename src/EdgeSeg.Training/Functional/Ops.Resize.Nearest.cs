using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>
    /// Nearest-neighbour up-sampling by exactly 2 of x [N, C, H, W] to [N, C, 2H, 2W]: y[2i + a, 2j + b] = x[i, j]
    /// (PyTorch's <c>interpolate(scale_factor=2, mode="nearest")</c>; ONNX Resize nearest, asymmetric, floor).
    /// The gradient of each input value is the sum of its four copies' gradients.
    /// </summary>
    public static Tensor UpsampleNearest2x(Tensor x)
    {
        RequireRank(x, 4, nameof(x));
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int oh = 2 * h, ow = 2 * w;
        var y = Tensor.ForOp(n, c, oh, ow);
        var xs = x.Array;
        var ys = y.Array;
        EngineThreads.For(n * c, p =>
        {
            var src = xs.AsSpan(p * h * w, h * w);
            var dst = ys.AsSpan(p * oh * ow, oh * ow);
            for (var iy = 0; iy < h; iy++)
            {
                var row = dst.Slice(2 * iy * ow, ow);
                for (var ix = 0; ix < w; ix++)
                {
                    var v = src[(iy * w) + ix];
                    row[2 * ix] = v;
                    row[(2 * ix) + 1] = v;
                }

                row.CopyTo(dst.Slice(((2 * iy) + 1) * ow, ow));
            }
        });

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "UpsampleNearest2x", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                var g = gy.Array;
                EngineThreads.For(n * c, p =>
                {
                    var dst = gx.AsSpan(p * h * w, h * w);
                    var src = g.AsSpan(p * oh * ow, oh * ow);
                    for (var iy = 0; iy < h; iy++)
                    {
                        var top = src.Slice(2 * iy * ow, ow);
                        var bottom = src.Slice(((2 * iy) + 1) * ow, ow);
                        for (var ix = 0; ix < w; ix++)
                        {
                            dst[(iy * w) + ix] += top[2 * ix] + top[(2 * ix) + 1] + bottom[2 * ix] + bottom[(2 * ix) + 1];
                        }
                    }
                });
            });
        }

        return y;
    }
}
