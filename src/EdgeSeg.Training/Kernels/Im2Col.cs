namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Convolution lowering: one image's [C, H, W] to columns [C*kh*kw, Ho*Wo] (the <see cref="ConvColumns"/> matrix
/// written out) and back (col2im accumulates).
/// Rows are independent, so both are parallel over channels with results independent of the thread count.
/// </summary>
internal static class Im2Col
{
    public static int OutSize(int size, int kernel, int stride, int padding, int dilation)
        => ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;

    /// <summary>Writes the whole im2col matrix of the image at <paramref name="xOffset"/> into <paramref name="col"/> (row-major).</summary>
    public static void Forward(float[] x, int xOffset, int c, int h, int w, int kh, int kw, int stride, int pad, int dil, float[] col)
    {
        var columns = new ConvColumns(c, h, w, kh, kw, stride, pad, dil);
        var plane = columns.Columns;
        var rowsPerChannel = kh * kw;
        EngineThreads.For(c, ch =>
        {
            var image = x.AsSpan(xOffset, columns.ImageLength);
            for (var r = ch * rowsPerChannel; r < (ch + 1) * rowsPerChannel; r++)
            {
                columns.CopyRow(image, r, 0, col.AsSpan(r * plane, plane));
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
