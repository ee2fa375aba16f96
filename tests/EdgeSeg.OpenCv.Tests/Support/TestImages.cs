using EdgeSeg.Core.Imaging;

namespace EdgeSeg.OpenCv.Tests.Support;

/// <summary>Deterministic test images.</summary>
public static class TestImages
{
    public static ImageBuffer Random(int width, int height, int channels, int seed)
    {
        var image = new ImageBuffer(width, height, channels);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    /// <summary>A class-index mask with values 0..classes-1 in blobs.</summary>
    public static ImageBuffer Mask(int width, int height, int classes, int seed)
    {
        var image = new ImageBuffer(width, height, 1);
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.Pixels[(y * width) + x] = (byte)((((x / 7) + (y / 5)) + random.Next(2)) % classes);
            }
        }

        return image;
    }
}
