namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Convolution lowering: one image's [C, H, W] to columns [C*kh*kw, Ho*Wo] and back (col2im accumulates).
/// Rows are independent, so both are parallel over channels with results independent of the thread count.
/// </summary>
internal static class Im2Col
{
    public static int OutSize(int size, int kernel, int stride, int padding, int dilation)
        => ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;

    public static void Forward(float[] x, int xOffset, int c, int h, int w, int kh, int kw, int stride, int pad, int dil, float[] col)
    {
        var ho = OutSize(h, kh, stride, pad, dil);
        var wo = OutSize(w, kw, stride, pad, dil);
        var plane = ho * wo;
        EngineThreads.For(c, ch =>
        {
            var src = x.AsSpan(xOffset + (ch * h * w), h * w);
            for (var ki = 0; ki < kh; ki++)
            {
                for (var kj = 0; kj < kw; kj++)
                {
                    var row = col.AsSpan((((ch * kh) + ki) * kw + kj) * plane, plane);
                    for (var oy = 0; oy < ho; oy++)
                    {
                        var iy = (oy * stride) - pad + (ki * dil);
                        var dst = row.Slice(oy * wo, wo);
                        if ((uint)iy >= (uint)h)
                        {
                            dst.Clear();
                            continue;
                        }

                        var srcRow = src.Slice(iy * w, w);
                        var ix0 = -pad + (kj * dil);
                        if (stride == 1)
                        {
                            // Contiguous: zero the out-of-range ends, copy the middle.
                            var lo = Math.Max(0, -ix0);
                            var hi = Math.Min(wo, w - ix0);
                            if (hi <= lo)
                            {
                                dst.Clear();
                                continue;
                            }

                            dst[..lo].Clear();
                            srcRow.Slice(ix0 + lo, hi - lo).CopyTo(dst[lo..hi]);
                            dst[hi..].Clear();
                        }
                        else
                        {
                            for (var ox = 0; ox < wo; ox++)
                            {
                                var ix = ix0 + (ox * stride);
                                dst[ox] = (uint)ix < (uint)w ? srcRow[ix] : 0f;
                            }
                        }
                    }
                }
            }
        });
    }

    /// <summary>Adds the columns back into the image gradient (x[c, iy, ix] += col[...]).</summary>
    public static void Backward(float[] col, int c, int h, int w, int kh, int kw, int stride, int pad, int dil, float[] dx, int dxOffset)
    {
        var ho = OutSize(h, kh, stride, pad, dil);
        var wo = OutSize(w, kw, stride, pad, dil);
        var plane = ho * wo;
        EngineThreads.For(c, ch =>
        {
            var dst = dx.AsSpan(dxOffset + (ch * h * w), h * w);
            for (var ki = 0; ki < kh; ki++)
            {
                for (var kj = 0; kj < kw; kj++)
                {
                    var row = col.AsSpan((((ch * kh) + ki) * kw + kj) * plane, plane);
                    for (var oy = 0; oy < ho; oy++)
                    {
                        var iy = (oy * stride) - pad + (ki * dil);
                        if ((uint)iy >= (uint)h)
                        {
                            continue;
                        }

                        var src = row.Slice(oy * wo, wo);
                        var dstRow = dst.Slice(iy * w, w);
                        var ix0 = -pad + (kj * dil);
                        if (stride == 1)
                        {
                            var lo = Math.Max(0, -ix0);
                            var hi = Math.Min(wo, w - ix0);
                            if (hi > lo)
                            {
                                Simd.AddInPlace(dstRow.Slice(ix0 + lo, hi - lo), src[lo..hi]);
                            }
                        }
                        else
                        {
                            for (var ox = 0; ox < wo; ox++)
                            {
                                var ix = ix0 + (ox * stride);
                                if ((uint)ix < (uint)w)
                                {
                                    dstRow[ix] += src[ox];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
