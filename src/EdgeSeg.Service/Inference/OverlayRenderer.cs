using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Service.Inference;

/// <summary>The frame with the mask's classes colour-blended over it (OpenCV) and a legend of the class colours.</summary>
internal static class OverlayRenderer
{
    private static readonly Rgb[] Palette = [.. ApplianceClasses.All.Select(c => c.Color)];

    /// <summary>Draws the overlay of <paramref name="mask"/> on <paramref name="frame"/> into <paramref name="destination"/>.</summary>
    public static void Render(ImageBuffer frame, Mask mask, float alpha, ImageBuffer destination)
    {
        CvImage.Blend(frame, mask.Pixels, Palette, alpha, destination);
        DrawLegend(destination);
    }

    /// <summary>A legend in the top-left corner: a swatch and the name of each class on a darkened panel.</summary>
    internal static void DrawLegend(ImageBuffer image)
    {
        var scale = image.Height >= 360 ? 2 : 1;
        var line = (LegendFont.GlyphHeight + 3) * scale;
        var swatch = LegendFont.GlyphHeight * scale;
        var longest = ApplianceClasses.All.Max(c => c.Name.Length);
        var panelWidth = (4 * scale) + swatch + (3 * scale) + (longest * (LegendFont.GlyphWidth + 1) * scale) + (2 * scale);
        var panelHeight = (ApplianceClasses.Count * line) + (2 * scale);
        for (var y = 0; y < panelHeight; y++)
        {
            for (var x = 0; x < panelWidth; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Set(image, x, y, c, (byte)(Get(image, x, y, c) / 3));
                }
            }
        }

        for (var k = 0; k < ApplianceClasses.Count; k++)
        {
            var info = ApplianceClasses.All[k];
            var top = (2 * scale) + (k * line);
            var left = 4 * scale;
            Fill(image, left, top, swatch, swatch, info.Color);
            var textLeft = left + swatch + (3 * scale);
            for (var i = 0; i < info.Name.Length; i++)
            {
                for (var gy = 0; gy < LegendFont.GlyphHeight; gy++)
                {
                    for (var gx = 0; gx < LegendFont.GlyphWidth; gx++)
                    {
                        if (LegendFont.IsSet(info.Name[i], gx, gy))
                        {
                            Fill(image, textLeft + (((i * (LegendFont.GlyphWidth + 1)) + gx) * scale), top + (gy * scale), scale, scale, new Rgb(255, 255, 255));
                        }
                    }
                }
            }
        }
    }

    private static void Fill(ImageBuffer image, int left, int top, int width, int height, Rgb color)
    {
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                // Buffers are BGR.
                Set(image, x, y, 0, color.B);
                Set(image, x, y, 1, color.G);
                Set(image, x, y, 2, color.R);
            }
        }
    }

    private static byte Get(ImageBuffer image, int x, int y, int c) =>
        x < image.Width && y < image.Height ? image.Data[(((y * image.Width) + x) * 3) + c] : (byte)0;

    private static void Set(ImageBuffer image, int x, int y, int c, byte value)
    {
        // Frames smaller than the legend get the part that fits.
        if (x < image.Width && y < image.Height)
        {
            image.Data[(((y * image.Width) + x) * 3) + c] = value;
        }
    }
}
