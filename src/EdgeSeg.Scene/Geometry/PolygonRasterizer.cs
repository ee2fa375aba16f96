using EdgeSeg.Scene.Configuration;

namespace EdgeSeg.Scene.Geometry;

/// <summary>
/// Scan-converts a polygon given in normalised coordinates: a pixel belongs to it when its centre
/// (x + 0.5, y + 0.5), in pixel-edge coordinates, lies inside under the even-odd rule. A centre exactly on a left
/// or top edge is inside; on a right or bottom edge it is outside, so polygons that share an edge share no pixel.
/// </summary>
internal static class PolygonRasterizer
{
    public static RowSpans Rasterize(IReadOnlyList<NormalizedPoint> polygon, int width, int height)
    {
        var n = polygon.Count;
        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = polygon[i].X * width;
            ys[i] = polygon[i].Y * height;
        }

        var rowStart = new int[height + 1];
        var starts = new List<int>();
        var ends = new List<int>();
        var crossings = new List<double>(n);
        for (var y = 0; y < height; y++)
        {
            rowStart[y] = starts.Count;
            var yc = y + 0.5;
            crossings.Clear();
            for (var i = 0; i < n; i++)
            {
                var j = (i + 1) % n;
                var (y0, y1) = (ys[i], ys[j]);

                // Half-open in y so a vertex shared by two edges is counted once and horizontal edges never count.
                if ((y0 <= yc && yc < y1) || (y1 <= yc && yc < y0))
                {
                    crossings.Add(xs[i] + ((yc - y0) * (xs[j] - xs[i]) / (y1 - y0)));
                }
            }

            crossings.Sort();
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                // Pixels whose centre x + 0.5 lies in [left, right).
                var x0 = Math.Clamp((int)Math.Ceiling(crossings[k] - 0.5), 0, width);
                var x1 = Math.Clamp((int)Math.Ceiling(crossings[k + 1] - 0.5), 0, width);
                if (x1 > x0)
                {
                    if (ends.Count > rowStart[y] && ends[^1] >= x0)
                    {
                        ends[^1] = Math.Max(ends[^1], x1);
                    }
                    else
                    {
                        starts.Add(x0);
                        ends.Add(x1);
                    }
                }
            }
        }

        rowStart[height] = starts.Count;
        return new RowSpans(height, rowStart, [.. starts], [.. ends]);
    }
}
