using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, groups = 1) of x [N, C, H, W] with weight [O, C, kh, kw] and optional
    /// bias [O]: an implicit GEMM per image, the packed GEMM reading its B panels straight from the image (no im2col
    /// matrix), with 1x1 stride-1 unpadded kernels multiplying the image itself; the input gradient goes through an
    /// explicit im2col buffer and col2im.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1)
    {
        RequireRank(x, 4, nameof(x));
        RequireRank(weight, 4, nameof(weight));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int o = weight.Dim(0), kh = weight.Dim(2), kw = weight.Dim(3);
        if (weight.Dim(1) != c)
        {
            throw new ArgumentException($"weight {weight.ShapeString} expects {weight.Dim(1)} input channels; x {x.ShapeString} has {c}.", nameof(weight));
        }

        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != o))
        {
            throw new ArgumentException($"bias must have shape [{o}]; it has {bias.ShapeString}.", nameof(bias));
        }

        var ho = Im2Col.OutSize(h, kh, stride, padding, dilation);
        var wo = Im2Col.OutSize(w, kw, stride, padding, dilation);
        if (ho <= 0 || wo <= 0)
        {
            throw new ArgumentException($"x {x.ShapeString} is smaller than the kernel {kh}x{kw} (padding {padding}, dilation {dilation}).", nameof(x));
        }

        var ck = c * kh * kw;
        var plane = ho * wo;
        var direct = kh == 1 && kw == 1 && stride == 1 && padding == 0;
        var y = Tensor.ForOp(n, o, ho, wo);
        var xs = x.Array;
        var ws = weight.Array;
        var ys = y.Array;
        var columns = new ConvColumns(c, h, w, kh, kw, stride, padding, dilation);
        var imageLength = c * h * w;
        for (var i = 0; i < n; i++)
        {
            var xi = xs.AsSpan(i * imageLength, imageLength);
            var yi = ys.AsSpan(i * o * plane, o * plane);
            if (bias is not null)
            {
                var bs = bias.Array;
                for (var oc = 0; oc < o; oc++)
                {
                    yi.Slice(oc * plane, plane).Fill(bs[oc]);
                }
            }

            if (direct)
            {
                Sgemm.Multiply(false, false, o, plane, ck, ws, ck, xi, plane, yi, plane, accumulate: bias is not null);
            }
            else
            {
                // Y[o, plane] = W[o, ck] * cols[ck, plane], cols packed from the image as the GEMM goes.
                Sgemm.Multiply(false, false, o, plane, ck, ws, ck, xi, columns, yi, plane, accumulate: bias is not null);
            }
        }

        if (Autograd.ShouldRecord(x, weight, bias))
        {
            Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
            Autograd.Record(y, "Conv2d", inputs, gy =>
            {
                var gys = gy.Array;
                if (bias is not null && bias.RequiresGrad)
                {
                    AccumulateBiasGradient(gys, bias.EnsureGrad().Array, n, o, plane);
                }

                // Only the input gradient still needs the columns written out (W^T * dY, then col2im).
                var bcol = direct || !x.RequiresGrad ? null : Scratch.Rent(ck * plane);
                try
                {
                    for (var i = 0; i < n; i++)
                    {
                        var xi = xs.AsSpan(i * imageLength, imageLength);
                        var gyi = gys.AsSpan(i * o * plane, o * plane);
                        if (weight.RequiresGrad)
                        {
                            // dW[o, ck] += dY[o, plane] * cols[ck, plane]^T
                            var gw = weight.EnsureGrad().Array;
                            if (direct)
                            {
                                Sgemm.Multiply(false, true, o, ck, plane, gyi, plane, xi, plane, gw, ck, accumulate: true);
                            }
                            else
                            {
                                Sgemm.Multiply(false, true, o, ck, plane, gyi, plane, xi, columns, gw, ck, accumulate: true);
                            }
                        }

                        if (x.RequiresGrad)
                        {
                            var gx = x.EnsureGrad().Array;
                            if (direct)
                            {
                                Sgemm.Multiply(true, false, ck, plane, o, ws, ck, gyi, plane, gx.AsSpan(i * imageLength, imageLength), plane, accumulate: true);
                            }
                            else
                            {
                                // dCols[ck, plane] = W^T * dY, then fold back into the image.
                                Sgemm.Multiply(true, false, ck, plane, o, ws, ck, gyi, plane, bcol, plane, accumulate: false);
                                Im2Col.Backward(bcol!, c, h, w, kh, kw, stride, padding, dilation, gx, i * imageLength);
                            }
                        }
                    }
                }
                finally
                {
                    Scratch.Return(bcol);
                }
            });
        }

        return y;
    }

    /// <summary>
    /// Transposed 2-D convolution (padding 0, output padding 0) of x [N, C, H, W] with weight [C, O, k, k] (PyTorch's
    /// layout) and optional bias [O]; output [N, O, (H-1)*stride + k, (W-1)*stride + k]. Used 2x2 stride 2 for up-sampling.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 2)
    {
        RequireRank(x, 4, nameof(x));
        RequireRank(weight, 4, nameof(weight));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int o = weight.Dim(1), kh = weight.Dim(2), kw = weight.Dim(3);
        if (weight.Dim(0) != c)
        {
            throw new ArgumentException($"weight {weight.ShapeString} expects {weight.Dim(0)} input channels; x {x.ShapeString} has {c}.", nameof(weight));
        }

        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != o))
        {
            throw new ArgumentException($"bias must have shape [{o}]; it has {bias.ShapeString}.", nameof(bias));
        }

        var ho = ((h - 1) * stride) + kh;
        var wo = ((w - 1) * stride) + kw;
        var okk = o * kh * kw;
        var plane = h * w;
        var oplane = ho * wo;
        var y = Tensor.ForOp(n, o, ho, wo);
        var xs = x.Array;
        var ws = weight.Array;
        var ys = y.Array;
        var col = Scratch.Rent(okk * plane);
        try
        {
            for (var i = 0; i < n; i++)
            {
                // cols[okk, HW] = W^T[okk, C] * x[C, HW]; col2im with the transposed geometry scatters them.
                Sgemm.Multiply(true, false, okk, plane, c, ws, okk, xs.AsSpan(i * c * plane, c * plane), plane, col, plane, accumulate: false);
                Im2Col.Backward(col, o, ho, wo, kh, kw, stride, 0, 1, ys, i * o * oplane);
                if (bias is not null)
                {
                    var bs = bias.Array;
                    for (var oc = 0; oc < o; oc++)
                    {
                        var s = ys.AsSpan(((i * o) + oc) * oplane, oplane);
                        var bv = bs[oc];
                        for (var j = 0; j < s.Length; j++)
                        {
                            s[j] += bv;
                        }
                    }
                }
            }
        }
        finally
        {
            Scratch.Return(col);
        }

        if (Autograd.ShouldRecord(x, weight, bias))
        {
            Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
            Autograd.Record(y, "ConvTranspose2d", inputs, gy =>
            {
                var gys = gy.Array;
                if (bias is not null && bias.RequiresGrad)
                {
                    AccumulateBiasGradient(gys, bias.EnsureGrad().Array, n, o, oplane);
                }

                var gcol = Scratch.Rent(okk * plane);
                try
                {
                    for (var i = 0; i < n; i++)
                    {
                        Im2Col.Forward(gys, i * o * oplane, o, ho, wo, kh, kw, stride, 0, 1, gcol);
                        var gc = gcol.AsSpan(0, okk * plane);
                        if (weight.RequiresGrad)
                        {
                            // dW[C, okk] += x[C, HW] * gcol[okk, HW]^T
                            Sgemm.Multiply(false, true, c, okk, plane, xs.AsSpan(i * c * plane, c * plane), plane, gc, plane, weight.EnsureGrad().Array, okk, accumulate: true);
                        }

                        if (x.RequiresGrad)
                        {
                            // dx[C, HW] += W[C, okk] * gcol[okk, HW]
                            Sgemm.Multiply(false, false, c, plane, okk, ws, okk, gc, plane, x.EnsureGrad().Array.AsSpan(i * c * plane, c * plane), plane, accumulate: true);
                        }
                    }
                }
                finally
                {
                    Scratch.Return(gcol);
                }
            });
        }

        return y;
    }

    // gb[oc] += the sum of dY over the batch and the plane of channel oc (dY laid out [n, channels, plane]).
    private static void AccumulateBiasGradient(float[] gy, float[] gb, int n, int channels, int plane)
    {
        for (var oc = 0; oc < channels; oc++)
        {
            var s = 0.0;
            for (var i = 0; i < n; i++)
            {
                s += Simd.Sum(gy.AsSpan(((i * channels) + oc) * plane, plane));
            }

            gb[oc] += (float)s;
        }
    }
}
