using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>
    /// Bilinear resize of x [N, C, H, W] to [N, C, outH, outW] with ONNX Resize's <c>half_pixel</c> convention
    /// (PyTorch's align_corners=False): source = (dst + 0.5) * in/out - 0.5, clamped to the image.
    /// </summary>
    public static Tensor UpsampleBilinear(Tensor x, int outH, int outW)
    {
        RequireRank(x, 4, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(outH, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outW, 1);
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        var ty = BilinearTaps(h, outH);
        var tx = BilinearTaps(w, outW);
        var y = Tensor.ForOp(n, c, outH, outW);
        var xs = x.Array;
        var ys = y.Array;
        EngineThreads.For(n * c, p =>
        {
            var src = xs.AsSpan(p * h * w, h * w);
            var dst = ys.AsSpan(p * outH * outW, outH * outW);
            for (var oy = 0; oy < outH; oy++)
            {
                var (y0, y1, ly) = ty[oy];
                for (var ox = 0; ox < outW; ox++)
                {
                    var (x0, x1, lx) = tx[ox];
                    var top = (src[(y0 * w) + x0] * (1 - lx)) + (src[(y0 * w) + x1] * lx);
                    var bottom = (src[(y1 * w) + x0] * (1 - lx)) + (src[(y1 * w) + x1] * lx);
                    dst[(oy * outW) + ox] = (top * (1 - ly)) + (bottom * ly);
                }
            }
        });

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "UpsampleBilinear", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                var g = gy.Array;
                EngineThreads.For(n * c, p =>
                {
                    var dst = gx.AsSpan(p * h * w, h * w);
                    var src = g.AsSpan(p * outH * outW, outH * outW);
                    for (var oy = 0; oy < outH; oy++)
                    {
                        var (y0, y1, ly) = ty[oy];
                        for (var ox = 0; ox < outW; ox++)
                        {
                            var (x0, x1, lx) = tx[ox];
                            var v = src[(oy * outW) + ox];
                            dst[(y0 * w) + x0] += v * (1 - ly) * (1 - lx);
                            dst[(y0 * w) + x1] += v * (1 - ly) * lx;
                            dst[(y1 * w) + x0] += v * ly * (1 - lx);
                            dst[(y1 * w) + x1] += v * ly * lx;
                        }
                    }
                });
            });
        }

        return y;
    }

    internal static (int I0, int I1, float L)[] BilinearTaps(int inSize, int outSize)
    {
        var taps = new (int, int, float)[outSize];
        var scale = (double)inSize / outSize;
        for (var o = 0; o < outSize; o++)
        {
            var s = ((o + 0.5) * scale) - 0.5;
            if (s < 0)
            {
                s = 0;
            }

            var i0 = Math.Min((int)s, inSize - 1);
            var i1 = Math.Min(i0 + 1, inSize - 1);
            taps[o] = (i0, i1, (float)(s - i0));
        }

        return taps;
    }
}
