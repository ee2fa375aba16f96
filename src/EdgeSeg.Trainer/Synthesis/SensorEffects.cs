using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Camera effects applied to a finished BGR image in place: vignetting, blur (binomial and horizontal motion),
/// sensor noise and a JPEG-style quantisation round trip (<see cref="JpegRoundTrip"/>). Masks are never touched.
/// </summary>
internal static partial class SensorEffects
{
    // 256 approximately normal samples (unit standard deviation) indexed by a random byte: noise costs one table
    // look-up per channel instead of a transcendental call.
    private static readonly float[] NormalTable = BuildNormalTable();

    public static void Apply(ImageBuffer image, SensorSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Vignette > 0f)
        {
            Vignette(image, settings.Vignette);
        }

        for (var i = 0; i < settings.BlurPasses; i++)
        {
            Binomial(image);
        }

        if (settings.MotionBlur > 1)
        {
            MotionBlur(image, settings.MotionBlur);
        }

        if (settings.NoiseSigma > 0f)
        {
            Noise(image, settings.NoiseSigma, seed);
        }

        if (settings.JpegQuality > 0)
        {
            JpegRoundTrip(image, settings.JpegQuality);
        }
    }

    private static void Vignette(ImageBuffer image, float strength)
    {
        var w = image.Width;
        var h = image.Height;
        var data = image.Data;
        var cx = w / 2f;
        var cy = h / 2f;
        var norm = 1f / ((cx * cx) + (cy * cy));
        for (var y = 0; y < h; y++)
        {
            var dy = (y + 0.5f - cy) * (y + 0.5f - cy);
            var row = y * w * 3;
            for (var x = 0; x < w; x++)
            {
                var dx = x + 0.5f - cx;
                var k = (int)(256f * (1f - (strength * ((dx * dx) + dy) * norm)));
                var p = row + (x * 3);
                data[p] = (byte)((data[p] * k) >> 8);
                data[p + 1] = (byte)((data[p + 1] * k) >> 8);
                data[p + 2] = (byte)((data[p + 2] * k) >> 8);
            }
        }
    }

    // One pass of [1 2 1] / 4 horizontally then vertically (edges clamp).
    private static void Binomial(ImageBuffer image)
    {
        var w = image.Width;
        var h = image.Height;
        var stride = w * 3;
        var data = image.Data;
        var line = new byte[Math.Max(stride, h * 3)];
        for (var y = 0; y < h; y++)
        {
            var row = y * stride;
            Array.Copy(data, row, line, 0, stride);
            for (var x = 0; x < stride; x++)
            {
                var l = x >= 3 ? line[x - 3] : line[x];
                var r = x + 3 < stride ? line[x + 3] : line[x];
                data[row + x] = (byte)((l + (2 * line[x]) + r + 2) >> 2);
            }
        }

        var prev = new byte[stride];
        var cur = new byte[stride];
        Array.Copy(data, 0, prev, 0, stride);
        for (var y = 0; y < h; y++)
        {
            var row = y * stride;
            Array.Copy(data, row, cur, 0, stride);
            var next = y + 1 < h ? row + stride : row;
            for (var x = 0; x < stride; x++)
            {
                data[row + x] = (byte)((prev[x] + (2 * cur[x]) + data[next + x] + 2) >> 2);
            }

            (prev, cur) = (cur, prev);
        }
    }

    private static void MotionBlur(ImageBuffer image, int taps)
    {
        var w = image.Width;
        var stride = w * 3;
        var data = image.Data;
        var line = new byte[stride];
        var half = taps / 2;
        for (var y = 0; y < image.Height; y++)
        {
            var row = y * stride;
            Array.Copy(data, row, line, 0, stride);
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var t = -half; t < taps - half; t++)
                    {
                        sum += line[(Math.Clamp(x + t, 0, w - 1) * 3) + c];
                    }

                    data[row + (x * 3) + c] = (byte)(sum / taps);
                }
            }
        }
    }

    private static void Noise(ImageBuffer image, float sigma, ulong seed)
    {
        var data = image.Data;
        var n = image.ByteCount;
        var state = seed | 1UL;

        // Integer offsets for this sigma, so the per-byte work is a look-up, an add and a clamp.
        Span<int> offsets = stackalloc int[256];
        for (var i = 0; i < 256; i++)
        {
            offsets[i] = (int)MathF.Round(NormalTable[i] * sigma);
        }

        // A clamping table indexed by value + 64 (offsets stay within +-64 for any sigma up to 16).
        Span<byte> clamp = stackalloc byte[256 + 128];
        for (var i = 0; i < clamp.Length; i++)
        {
            clamp[i] = (byte)Math.Clamp(i - 64, 0, 255);
        }

        for (var i = 0; i < 256; i++)
        {
            offsets[i] = Math.Clamp(offsets[i], -64, 64) + 64;
        }

        var pixels = data.AsSpan(0, n);
        for (var i = 0; i < n; i += 8)
        {
            // xorshift64: eight noise bytes per step.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var bits = state;
            var chunk = pixels.Slice(i, Math.Min(8, n - i));
            for (var j = 0; j < chunk.Length; j++)
            {
                chunk[j] = clamp[chunk[j] + offsets[(int)(bits & 0xFF)]];
                bits >>= 8;
            }
        }
    }

    private static float[] BuildNormalTable()
    {
        // Inverse normal CDF at the midpoints of 256 equal-probability bins (Acklam-free: bisection on erf).
        var table = new float[256];
        for (var i = 0; i < 256; i++)
        {
            var p = (i + 0.5) / 256.0;
            double lo = -6, hi = 6;
            for (var k = 0; k < 60; k++)
            {
                var mid = (lo + hi) / 2;
                if (NormalCdf(mid) < p)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            table[i] = (float)((lo + hi) / 2);
        }

        return table;
    }

    private static double NormalCdf(double x)
    {
        // Abramowitz and Stegun 7.1.26 for erf; plenty for a noise table.
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * z));
        var poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (poly * Math.Exp(-z * z));
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
