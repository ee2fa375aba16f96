using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>Concatenates [N, Ci, H, W] tensors along channels.</summary>
    public static Tensor ConcatChannels(params Tensor[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("ConcatChannels needs at least one tensor.", nameof(parts));
        }

        var first = parts[0];
        RequireRank(first, 4, nameof(parts));
        int n = first.Dim(0), h = first.Dim(2), w = first.Dim(3), plane = h * w;
        var total = 0;
        foreach (var p in parts)
        {
            RequireRank(p, 4, nameof(parts));
            if (p.Dim(0) != n || p.Dim(2) != h || p.Dim(3) != w)
            {
                throw new ArgumentException($"ConcatChannels needs equal N, H, W; got {first.ShapeString} and {p.ShapeString}.", nameof(parts));
            }

            total += p.Dim(1);
        }

        var y = Tensor.ForOp(n, total, h, w);
        for (var i = 0; i < n; i++)
        {
            var offset = 0;
            foreach (var p in parts)
            {
                var ci = p.Dim(1);
                p.Array.AsSpan(i * ci * plane, ci * plane).CopyTo(y.Array.AsSpan(((i * total) + offset) * plane));
                offset += ci;
            }
        }

        if (Autograd.ShouldRecord(parts))
        {
            Autograd.Record(y, "ConcatChannels", parts, gy =>
            {
                for (var i = 0; i < n; i++)
                {
                    var offset = 0;
                    foreach (var p in parts)
                    {
                        var ci = p.Dim(1);
                        if (p.RequiresGrad)
                        {
                            Kernels.Simd.AddInPlace(p.EnsureGrad().Array.AsSpan(i * ci * plane, ci * plane), gy.Array.AsSpan(((i * total) + offset) * plane, ci * plane));
                        }

                        offset += ci;
                    }
                }
            });
        }

        return y;
    }

    /// <summary>Zero padding of x [N, C, H, W]: <paramref name="bottom"/> rows and <paramref name="right"/> columns added.</summary>
    public static Tensor PadBottomRight(Tensor x, int bottom, int right)
    {
        RequireRank(x, 4, nameof(x));
        ArgumentOutOfRangeException.ThrowIfNegative(bottom);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        if (bottom == 0 && right == 0)
        {
            return x;
        }

        int nc = x.Dim(0) * x.Dim(1), h = x.Dim(2), w = x.Dim(3), ho = h + bottom, wo = w + right;
        var y = Tensor.ForOp(x.Dim(0), x.Dim(1), ho, wo);
        for (var p = 0; p < nc; p++)
        {
            for (var r = 0; r < h; r++)
            {
                x.Array.AsSpan(((p * h) + r) * w, w).CopyTo(y.Array.AsSpan(((p * ho) + r) * wo));
            }
        }

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "PadBottomRight", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                for (var p = 0; p < nc; p++)
                {
                    for (var r = 0; r < h; r++)
                    {
                        Kernels.Simd.AddInPlace(gx.AsSpan(((p * h) + r) * w, w), gy.Array.AsSpan(((p * ho) + r) * wo, w));
                    }
                }
            });
        }

        return y;
    }

    /// <summary>The top-left <paramref name="height"/> x <paramref name="width"/> window of x [N, C, H, W].</summary>
    public static Tensor CropTopLeft(Tensor x, int height, int width)
    {
        RequireRank(x, 4, nameof(x));
        int nc = x.Dim(0) * x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        if (height < 1 || width < 1 || height > h || width > w)
        {
            throw new ArgumentException($"crop {height}x{width} does not fit in x {x.ShapeString}.", nameof(height));
        }

        if (height == h && width == w)
        {
            return x;
        }

        var y = Tensor.ForOp(x.Dim(0), x.Dim(1), height, width);
        for (var p = 0; p < nc; p++)
        {
            for (var r = 0; r < height; r++)
            {
                x.Array.AsSpan(((p * h) + r) * w, width).CopyTo(y.Array.AsSpan(((p * height) + r) * width));
            }
        }

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "CropTopLeft", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                for (var p = 0; p < nc; p++)
                {
                    for (var r = 0; r < height; r++)
                    {
                        Kernels.Simd.AddInPlace(gx.AsSpan(((p * h) + r) * w, width), gy.Array.AsSpan(((p * height) + r) * width, width));
                    }
                }
            });
        }

        return y;
    }
}
