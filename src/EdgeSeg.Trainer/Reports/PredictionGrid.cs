using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Trainer.Reports;

/// <summary>
/// A grid of validation frames: per row the frame, its ground truth and the prediction, each class colour-blended
/// over the frame (ignored pixels are shown dark grey in the ground truth).
/// </summary>
internal static class PredictionGrid
{
    private const int Gap = 4;

    // Cells narrower than this are enlarged by a whole factor (nearest neighbour, so class edges stay exact).
    private const int MinCellWidth = 320;

    /// <summary>Composes the rows into one BGR image; each row is (frame, truth, prediction) of one size.</summary>
    /// <param name="rows">Frames (BGR), truths (appliance classes or 255) and predictions (appliance classes).</param>
    public static ImageBuffer Compose(IReadOnlyList<(ImageBuffer Frame, byte[] Truth, byte[] Prediction)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A grid needs at least one row.", nameof(rows));
        }

        var factor = Math.Max(1, (MinCellWidth + rows.Max(r => r.Frame.Width) - 1) / rows.Max(r => r.Frame.Width));
        var cellW = rows.Max(r => r.Frame.Width) * factor;
        var width = (cellW * 3) + (Gap * 4);
        var height = rows.Sum(r => (r.Frame.Height * factor) + Gap) + Gap;
        var grid = new ImageBuffer(width, height, 3);
        grid.Pixels.Fill(255);

        // Palette indexed by class; 255 (ignored) is dark grey, everything else unlisted copies the frame.
        var palette = new Rgb[256];
        for (var i = 0; i < palette.Length; i++)
        {
            palette[i] = new Rgb(48, 48, 48);
        }

        foreach (var c in ApplianceClasses.All)
        {
            palette[c.Index] = c.Color;
        }

        var y = Gap;
        foreach (var (frame, truth, prediction) in rows)
        {
            var truthView = new ImageBuffer(frame.Width, frame.Height, 3);
            var predictionView = new ImageBuffer(frame.Width, frame.Height, 3);
            CvImage.Blend(frame, truth, palette, 0.55f, truthView);
            CvImage.Blend(frame, prediction, palette, 0.55f, predictionView);
            Paste(grid, Enlarge(frame, factor), Gap, y);
            Paste(grid, Enlarge(truthView, factor), (Gap * 2) + cellW, y);
            Paste(grid, Enlarge(predictionView, factor), (Gap * 3) + (cellW * 2), y);
            y += (frame.Height * factor) + Gap;
        }

        return grid;
    }

    private static ImageBuffer Enlarge(ImageBuffer image, int factor)
    {
        if (factor == 1)
        {
            return image;
        }

        var large = new ImageBuffer(image.Width * factor, image.Height * factor, image.Channels);
        CvImage.Resize(image, large, ResizeInterpolation.Nearest);
        return large;
    }

    private static void Paste(ImageBuffer target, ImageBuffer source, int x, int y)
    {
        for (var row = 0; row < source.Height; row++)
        {
            source.Row(row).CopyTo(target.Row(y + row)[(x * 3)..]);
        }
    }
}
