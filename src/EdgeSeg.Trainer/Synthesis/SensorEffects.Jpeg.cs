using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Trainer.Synthesis;

internal static partial class SensorEffects
{
    private static readonly int[] LumaQuant =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly int[] ChromaQuant =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    private static readonly float[] Basis = BuildBasis();

    /// <summary>
    /// What a JPEG encoder and decoder at <paramref name="quality"/> (1-100, IJG scaling of the standard tables) do to
    /// the pixels: BGR to YCbCr, 4:2:0 chroma, 8x8 DCT, quantisation, inverse DCT, back to BGR. No file is written.
    /// </summary>
    public static void JpegRoundTrip(ImageBuffer image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var w = image.Width;
        var h = image.Height;
        var bw = (w + 7) / 8 * 8;
        var bh = (h + 7) / 8 * 8;
        var cw = (w + 15) / 16 * 8;
        var ch = (h + 15) / 16 * 8;
        var yPlane = new float[bw * bh];
        var cbPlane = new float[cw * ch];
        var crPlane = new float[cw * ch];
        var data = image.Data;
        for (var y = 0; y < bh; y++)
        {
            var sy = Math.Min(y, h - 1);
            for (var x = 0; x < bw; x++)
            {
                var p = ((sy * w) + Math.Min(x, w - 1)) * 3;
                float b = data[p], g = data[p + 1], r = data[p + 2];
                yPlane[(y * bw) + x] = (0.299f * r) + (0.587f * g) + (0.114f * b) - 128f;
                var ci = ((y / 2) * cw) + (x / 2);
                if (y / 2 < ch && x / 2 < cw)
                {
                    cbPlane[ci] += 0.25f * ((-0.168736f * r) - (0.331264f * g) + (0.5f * b));
                    crPlane[ci] += 0.25f * ((0.5f * r) - (0.418688f * g) - (0.081312f * b));
                }
            }
        }

        var scale = quality < 50 ? 5000 / quality : 200 - (2 * quality);
        Quantise(yPlane, bw, bh, Scaled(LumaQuant, scale));
        var chroma = Scaled(ChromaQuant, scale);
        Quantise(cbPlane, cw, ch, chroma);
        Quantise(crPlane, cw, ch, chroma);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var yy = yPlane[(y * bw) + x] + 128f;
                var ci = ((y / 2) * cw) + (x / 2);
                var cb = cbPlane[ci];
                var cr = crPlane[ci];
                var p = ((y * w) + x) * 3;
                data[p] = Colour.Clamp(yy + (1.772f * cb));
                data[p + 1] = Colour.Clamp(yy - (0.344136f * cb) - (0.714136f * cr));
                data[p + 2] = Colour.Clamp(yy + (1.402f * cr));
            }
        }
    }

    private static float[] Scaled(int[] table, int scale)
    {
        var q = new float[64];
        for (var i = 0; i < 64; i++)
        {
            q[i] = Math.Clamp(((table[i] * scale) + 50) / 100, 1, 255);
        }

        return q;
    }

    // Forward DCT, quantise and dequantise, inverse DCT, block by block, separable with the 8x8 basis matrix.
    private static void Quantise(float[] plane, int width, int height, float[] q)
    {
        Span<float> block = stackalloc float[64];
        Span<float> tmp = stackalloc float[64];
        var basis = Basis;
        for (var by = 0; by < height; by += 8)
        {
            for (var bx = 0; bx < width; bx += 8)
            {
                for (var i = 0; i < 8; i++)
                {
                    plane.AsSpan(((by + i) * width) + bx, 8).CopyTo(block.Slice(i * 8, 8));
                }

                // tmp = B * block * B^T (forward), then quantise, then block = B^T * tmp * B (inverse).
                for (var u = 0; u < 8; u++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        var sum = 0f;
                        for (var y = 0; y < 8; y++)
                        {
                            sum += basis[(u * 8) + y] * block[(y * 8) + x];
                        }

                        tmp[(u * 8) + x] = sum;
                    }
                }

                for (var u = 0; u < 8; u++)
                {
                    for (var v = 0; v < 8; v++)
                    {
                        var sum = 0f;
                        for (var x = 0; x < 8; x++)
                        {
                            sum += tmp[(u * 8) + x] * basis[(v * 8) + x];
                        }

                        var k = q[(u * 8) + v];
                        block[(u * 8) + v] = MathF.Round(sum / k) * k;
                    }
                }

                for (var y = 0; y < 8; y++)
                {
                    for (var v = 0; v < 8; v++)
                    {
                        var sum = 0f;
                        for (var u = 0; u < 8; u++)
                        {
                            sum += basis[(u * 8) + y] * block[(u * 8) + v];
                        }

                        tmp[(y * 8) + v] = sum;
                    }
                }

                for (var y = 0; y < 8; y++)
                {
                    var row = ((by + y) * width) + bx;
                    for (var x = 0; x < 8; x++)
                    {
                        var sum = 0f;
                        for (var v = 0; v < 8; v++)
                        {
                            sum += tmp[(y * 8) + v] * basis[(v * 8) + x];
                        }

                        plane[row + x] = sum;
                    }
                }
            }
        }
    }

    private static float[] BuildBasis()
    {
        var b = new float[64];
        for (var u = 0; u < 8; u++)
        {
            var c = u == 0 ? MathF.Sqrt(1f / 8f) : MathF.Sqrt(2f / 8f);
            for (var x = 0; x < 8; x++)
            {
                b[(u * 8) + x] = c * MathF.Cos(((2 * x) + 1) * u * MathF.PI / 16f);
            }
        }

        return b;
    }
}
