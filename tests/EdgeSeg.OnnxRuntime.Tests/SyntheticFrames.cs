using EdgeSeg.Core.Imaging;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>Deterministic BGR test frames with smooth gradients, stripes, blocks and noise, so model classes vary.</summary>
internal static class SyntheticFrames
{
    public static ImageBuffer Make(int width, int height, int seed)
    {
        var frame = new ImageBuffer(width, height, 3);
        var random = new Random(seed);
        var fx = 0.02 + (random.NextDouble() * 0.1);
        var fy = 0.02 + (random.NextDouble() * 0.1);
        var blocks = Enumerable.Range(0, 6).Select(_ => (X: random.Next(width), Y: random.Next(height), R: 3 + random.Next(Math.Max(4, width / 4)), C: random.Next(3))).ToArray();
        var p = frame.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var v = 128 + (90 * Math.Sin((x * fx * (c + 1)) + (y * fy))) + (40 * Math.Cos(y * fy * (3 - c))) + random.Next(-12, 13);
                    foreach (var b in blocks)
                    {
                        if (Math.Abs(x - b.X) < b.R && Math.Abs(y - b.Y) < b.R && b.C == c)
                        {
                            v = 255 - (v / 3);
                        }
                    }

                    p[(((y * width) + x) * 3) + c] = (byte)Math.Clamp((int)v, 0, 255);
                }
            }
        }

        return frame;
    }
}
