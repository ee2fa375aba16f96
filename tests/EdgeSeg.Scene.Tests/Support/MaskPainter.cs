using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Scene.Tests.Support;

/// <summary>Draws synthetic masks with known geometry, and the naive oracles the tests compare against.</summary>
internal static class MaskPainter
{
    public static void FillRect(Mask mask, int x0, int y0, int x1, int y1, ApplianceClass cls)
    {
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                mask[x, y] = cls;
            }
        }
    }

    /// <summary>Fills pixels whose centre is inside the polygon (pixel coordinates), by per-pixel ray casting.</summary>
    public static void FillPolygon(Mask mask, (double X, double Y)[] polygon, ApplianceClass cls)
    {
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                if (Inside(polygon, x + 0.5, y + 0.5))
                {
                    mask[x, y] = cls;
                }
            }
        }
    }

    /// <summary>Even-odd ray casting, the textbook oracle.</summary>
    public static bool Inside((double X, double Y)[] polygon, double px, double py)
    {
        var inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var (xi, yi) = polygon[i];
            var (xj, yj) = polygon[j];
            if ((yi > py) != (yj > py) && px < xi + ((py - yi) * (xj - xi) / (yj - yi)))
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Draws a marking of odd width <paramref name="width"/> centred on x = x0 + slope (y - y0), rows [yFrom, yTo).</summary>
    public static void DrawLine(Mask mask, double x0, double y0, double slope, int width, int yFrom, int yTo, ApplianceClass cls = ApplianceClass.LaneMarking)
    {
        for (var y = yFrom; y < yTo; y++)
        {
            var centre = (int)Math.Round(x0 + (slope * (y - y0)));
            for (var x = centre - (width / 2); x <= centre + (width / 2); x++)
            {
                if ((uint)x < (uint)mask.Width)
                {
                    mask[x, y] = cls;
                }
            }
        }
    }

    /// <summary>Per-class counts of the pixels whose centres are inside the polygon (normalised vertices).</summary>
    public static int[] CountInside(Mask mask, (double X, double Y)[] normalised)
    {
        var polygon = normalised.Select(p => (p.X * mask.Width, p.Y * mask.Height)).ToArray();
        var counts = new int[ApplianceClasses.Count];
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                if (Inside(polygon, x + 0.5, y + 0.5))
                {
                    counts[(int)mask[x, y]]++;
                }
            }
        }

        return counts;
    }
}
