using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Service.Publishing;

/// <summary>Turns a mask into the published 8-bit single-channel PNG, optionally scaled down nearest-neighbour.</summary>
internal static class MaskPng
{
    /// <summary>The size a <paramref name="width"/> x <paramref name="height"/> mask has after scaling by <paramref name="scale"/>: rounded half away from zero, at least 1x1.</summary>
    public static (int Width, int Height) ScaledSize(int width, int height, double scale) =>
        (Math.Max(1, (int)Math.Round(width * scale, MidpointRounding.AwayFromZero)), Math.Max(1, (int)Math.Round(height * scale, MidpointRounding.AwayFromZero)));

    /// <summary>
    /// Nearest-neighbour scaling: target pixel (x, y) takes source pixel (x * W / w, y * H / h), so class indices
    /// are never blended into values that are no class.
    /// </summary>
    public static ImageBuffer Scale(Mask mask, double scale)
    {
        var (w, h) = ScaledSize(mask.Width, mask.Height, scale);
        var image = new ImageBuffer(w, h, 1);
        var source = mask.Pixels;
        for (var y = 0; y < h; y++)
        {
            var sy = (int)((long)y * mask.Height / h);
            var row = image.Row(y);
            var sourceRow = source.Slice(sy * mask.Width, mask.Width);
            for (var x = 0; x < w; x++)
            {
                row[x] = sourceRow[(int)((long)x * mask.Width / w)];
            }
        }

        return image;
    }

    /// <summary>Encodes <paramref name="mask"/> (scaled by <paramref name="scale"/>) as PNG into a new array; returns it with its size.</summary>
    public static (byte[] Png, int Width, int Height) Encode(Mask mask, double scale)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var image = scale >= 1
            ? new ImageBuffer(mask.Width, mask.Height, 1, mask.Pixels.ToArray())
            : Scale(mask, scale);
        return (CvImage.Encode(image, ImageFormat.Png), image.Width, image.Height);
    }
}
