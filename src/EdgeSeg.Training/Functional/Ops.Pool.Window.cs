using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>
    /// k x k max-pooling with a stride and zero-size padding of <paramref name="padding"/> on every side (padded
    /// positions never win: they count as -infinity, as in PyTorch and ONNX MaxPool). Output size
    /// floor((H + 2p - k) / s) + 1. ResNet's stem uses k 3, s 2, p 1.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding)
    {
        RequireRank(x, 4, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (padding > kernel / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"padding must be at most half the kernel ({kernel / 2}), so every window holds a real value.");
        }

        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        var ho = ((h + (2 * padding) - kernel) / stride) + 1;
        var wo = ((w + (2 * padding) - kernel) / stride) + 1;
        if (h + (2 * padding) < kernel || w + (2 * padding) < kernel)
        {
            throw new ArgumentException($"x {x.ShapeString} is smaller than the {kernel}x{kernel} window (padding {padding}).", nameof(x));
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
                var y0 = Math.Max(0, (oy * stride) - padding);
                var y1 = Math.Min(h, (oy * stride) - padding + kernel);
                for (var ox = 0; ox < wo; ox++)
                {
                    var x0 = Math.Max(0, (ox * stride) - padding);
                    var x1 = Math.Min(w, (ox * stride) - padding + kernel);
                    var best = src + (y0 * w) + x0;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        var row = src + (iy * w);
                        for (var ix = x0; ix < x1; ix++)
                        {
                            // Strict '>' keeps the first maximum in row-major window order (PyTorch's choice).
                            if (xs[row + ix] > xs[best])
                            {
                                best = row + ix;
                            }
                        }
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
            RecordMaxPoolBackward(y, "MaxPool2d", x, argmax!);
        }

        return y;
    }
}
