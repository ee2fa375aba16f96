namespace EdgeSeg.Training.Tests.Support;

/// <summary>Naive double-precision reference implementations (the oracle for forward values and finite differences).</summary>
internal static class RefOps
{
    public static double[] Conv2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b, int stride, int pad, int dil, out int[] ys)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        var ho = ((h + (2 * pad) - (dil * (kh - 1)) - 1) / stride) + 1;
        var wo = ((wd + (2 * pad) - (dil * (kw - 1)) - 1) / stride) + 1;
        ys = [n, o, ho, wo];
        var y = new double[n * o * ho * wo];
        for (var i = 0; i < n; i++)
        {
            for (var oc = 0; oc < o; oc++)
            {
                for (var oy = 0; oy < ho; oy++)
                {
                    for (var ox = 0; ox < wo; ox++)
                    {
                        var s = b?[oc] ?? 0;
                        for (var ic = 0; ic < c; ic++)
                        {
                            for (var ki = 0; ki < kh; ki++)
                            {
                                for (var kj = 0; kj < kw; kj++)
                                {
                                    var iy = (oy * stride) - pad + (ki * dil);
                                    var ix = (ox * stride) - pad + (kj * dil);
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                                    {
                                        s += x[(((i * c) + ic) * h + iy) * wd + ix] * w[(((oc * c) + ic) * kh + ki) * kw + kj];
                                    }
                                }
                            }
                        }

                        y[(((i * o) + oc) * ho + oy) * wo + ox] = s;
                    }
                }
            }
        }

        return y;
    }

    public static double[] ConvTranspose2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b, int stride, out int[] ys)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[1], kh = ws[2], kw = ws[3];
        int ho = ((h - 1) * stride) + kh, wo = ((wd - 1) * stride) + kw;
        ys = [n, o, ho, wo];
        var y = new double[n * o * ho * wo];
        for (var i = 0; i < n; i++)
        {
            for (var oc = 0; oc < o; oc++)
            {
                for (var p = 0; p < ho * wo; p++)
                {
                    y[((i * o) + oc) * ho * wo + p] = b?[oc] ?? 0;
                }

                for (var ic = 0; ic < c; ic++)
                {
                    for (var iy = 0; iy < h; iy++)
                    {
                        for (var ix = 0; ix < wd; ix++)
                        {
                            for (var ki = 0; ki < kh; ki++)
                            {
                                for (var kj = 0; kj < kw; kj++)
                                {
                                    y[(((i * o) + oc) * ho + (iy * stride) + ki) * wo + (ix * stride) + kj] +=
                                        x[(((i * c) + ic) * h + iy) * wd + ix] * w[(((ic * o) + oc) * kh + ki) * kw + kj];
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    public static double[] BatchNormTrain(double[] x, int[] xs, double[] g, double[] b, double eps)
    {
        int n = xs[0], c = xs[1], plane = xs[2] * xs[3];
        var y = new double[x.Length];
        for (var ch = 0; ch < c; ch++)
        {
            double m = 0, v = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < plane; j++)
                {
                    m += x[((i * c) + ch) * plane + j];
                }
            }

            m /= n * plane;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < plane; j++)
                {
                    var d = x[((i * c) + ch) * plane + j] - m;
                    v += d * d;
                }
            }

            v /= n * plane;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < plane; j++)
                {
                    var k = ((i * c) + ch) * plane + j;
                    y[k] = ((x[k] - m) / Math.Sqrt(v + eps) * g[ch]) + b[ch];
                }
            }
        }

        return y;
    }

    public static double[] BatchNormEval(double[] x, int[] xs, double[] g, double[] b, double[] rm, double[] rv, double eps)
    {
        int n = xs[0], c = xs[1], plane = xs[2] * xs[3];
        var y = new double[x.Length];
        for (var i = 0; i < n; i++)
        {
            for (var ch = 0; ch < c; ch++)
            {
                for (var j = 0; j < plane; j++)
                {
                    var k = ((i * c) + ch) * plane + j;
                    y[k] = ((x[k] - rm[ch]) / Math.Sqrt(rv[ch] + eps) * g[ch]) + b[ch];
                }
            }
        }

        return y;
    }

    public static double[] MaxPool2x2(double[] x, int[] xs, out int[] ys)
    {
        int nc = xs[0] * xs[1], h = xs[2], w = xs[3], ho = h / 2, wo = w / 2;
        ys = [xs[0], xs[1], ho, wo];
        var y = new double[nc * ho * wo];
        for (var p = 0; p < nc; p++)
        {
            for (var oy = 0; oy < ho; oy++)
            {
                for (var ox = 0; ox < wo; ox++)
                {
                    var m = double.NegativeInfinity;
                    for (var dy = 0; dy < 2; dy++)
                    {
                        for (var dx = 0; dx < 2; dx++)
                        {
                            m = Math.Max(m, x[((p * h) + (2 * oy) + dy) * w + (2 * ox) + dx]);
                        }
                    }

                    y[((p * ho) + oy) * wo + ox] = m;
                }
            }
        }

        return y;
    }

    /// <summary>Bilinear, ONNX Resize half_pixel written from the ONNX operator definition.</summary>
    public static double[] Resize(double[] x, int[] xs, int oh, int ow)
    {
        int nc = xs[0] * xs[1], h = xs[2], w = xs[3];
        var y = new double[nc * oh * ow];
        for (var p = 0; p < nc; p++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    var sy = Math.Clamp(((oy + 0.5) / ((double)oh / h)) - 0.5, 0, h - 1);
                    var sx = Math.Clamp(((ox + 0.5) / ((double)ow / w)) - 0.5, 0, w - 1);
                    int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
                    int y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
                    double ly = sy - y0, lx = sx - x0;
                    double At(int yy, int xx) => x[((p * h) + yy) * w + xx];
                    y[((p * oh) + oy) * ow + ox] = ((1 - ly) * (((1 - lx) * At(y0, x0)) + (lx * At(y0, x1)))) + (ly * (((1 - lx) * At(y1, x0)) + (lx * At(y1, x1))));
                }
            }
        }

        return y;
    }

    public static double CrossEntropy(double[] z, int[] zs, byte[] labels, double[] weights, int ignore, IReadOnlyDictionary<int, int[]> partial)
    {
        int n = zs[0], k = zs[1], plane = zs[2] * zs[3];
        double num = 0, den = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < plane; j++)
            {
                var lab = labels[(i * plane) + j];
                if (lab == ignore)
                {
                    continue;
                }

                var set = lab < k ? [lab] : partial[lab];
                var all = 0.0;
                var inSet = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var e = Math.Exp(z[((i * k) + c) * plane + j]);
                    all += e;
                    if (set.Contains(c))
                    {
                        inSet += e;
                    }
                }

                var wgt = set.Average(c => weights[c]);
                num += wgt * -Math.Log(inSet / all);
                den += wgt;
            }
        }

        return num / den;
    }

    public static double Dice(double[] z, int[] zs, byte[] labels, double smooth)
    {
        int n = zs[0], k = zs[1], plane = zs[2] * zs[3];
        var inter = new double[k];
        var ps = new double[k];
        var gs = new double[k];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < plane; j++)
            {
                var lab = labels[(i * plane) + j];
                if (lab >= k)
                {
                    continue;
                }

                var all = 0.0;
                for (var c = 0; c < k; c++)
                {
                    all += Math.Exp(z[((i * k) + c) * plane + j]);
                }

                for (var c = 0; c < k; c++)
                {
                    var p = Math.Exp(z[((i * k) + c) * plane + j]) / all;
                    ps[c] += p;
                    if (c == lab)
                    {
                        inter[c] += p;
                        gs[c] += 1;
                    }
                }
            }
        }

        var mean = 0.0;
        for (var c = 0; c < k; c++)
        {
            mean += ((2 * inter[c]) + smooth) / (ps[c] + gs[c] + smooth);
        }

        return 1 - (mean / k);
    }
}
