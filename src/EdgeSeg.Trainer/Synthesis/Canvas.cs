using System.Diagnostics;
using System.Numerics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The raster target of one frame: a BGR image drawn with anti-aliased edges and a mask written by the exact
/// pixel-centre test. A primitive owns a mask pixel when the pixel's centre (x + 0.5, y + 0.5) lies inside it
/// (half-open: left and top edges in, right and bottom edges out); the image gets the primitive's area coverage
/// of the pixel instead, so edges are smooth while every mask value stays an exact class.
/// </summary>
/// <remarks>
/// <see cref="RowDepth"/> is the distance of the ground seen at each row's centre (infinity where the row shows
/// sky). A primitive standing at distance d is hidden on rows whose ground is nearer than d: that is how hill
/// crests occlude what lies behind them. The canvas writes into the caller's image and mask; it owns neither.
/// </remarks>
internal sealed class Canvas
{
    /// <summary>Class value that leaves the mask untouched (shadows, clouds, paint on a surface of the same class).</summary>
    public const int KeepClass = -1;

    private readonly byte[] _image;
    private readonly byte[] _mask;
    private readonly Vector2[] _clip = new Vector2[32];

    public Canvas(ImageBuffer image, Mask mask)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        if (image.Channels != 3 || image.Width != mask.Width || image.Height != mask.Height)
        {
            throw new ArgumentException(
                $"The canvas needs a BGR image the size of the mask ({mask.Width}x{mask.Height}); got {image.Width}x{image.Height}x{image.Channels}.",
                nameof(image));
        }

        Width = image.Width;
        Height = image.Height;
        _image = image.Data;
        _mask = new byte[Width * Height];
        Mask = mask;
        RowDepth = new float[Height];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The mask being written (caller owns it).</summary>
    public Mask Mask { get; }

    /// <summary>Distance of the ground visible at each row's centre; <see cref="float.PositiveInfinity"/> for sky rows.</summary>
    public float[] RowDepth { get; }

    /// <summary>Copies the working mask into <see cref="Mask"/>; call once when the frame is complete.</summary>
    public void Commit() => _mask.CopyTo(Mask.Pixels);

    /// <summary>
    /// Fills row <paramref name="y"/> between screen x <paramref name="xl"/> and <paramref name="xr"/> with area
    /// coverage in the image (times <paramref name="opacity"/>) and the pixel-centre test in the mask.
    /// </summary>
    public void FillSpan(int y, float xl, float xr, Colour colour, int cls, float opacity = 1f)
    {
        Debug.Assert((uint)y < (uint)Height, "row inside the canvas");
        if (!(xr > xl) || xr <= 0f || xl >= Width)
        {
            return;
        }

        var x0 = Math.Max(0, (int)MathF.Floor(xl));
        var x1 = Math.Min(Width - 1, (int)MathF.Ceiling(xr) - 1);
        var row = y * Width;
        var a = (int)(opacity * 256f);
        for (var x = x0; x <= x1; x++)
        {
            var coverage = MathF.Min(x + 1, xr) - MathF.Max(x, xl);
            var alpha = coverage >= 1f ? a : (int)(coverage * a);
            var p = (row + x) * 3;
            if (alpha >= 256)
            {
                _image[p] = colour.B;
                _image[p + 1] = colour.G;
                _image[p + 2] = colour.R;
            }
            else if (alpha > 0)
            {
                _image[p] = (byte)(_image[p] + (((colour.B - _image[p]) * alpha) >> 8));
                _image[p + 1] = (byte)(_image[p + 1] + (((colour.G - _image[p + 1]) * alpha) >> 8));
                _image[p + 2] = (byte)(_image[p + 2] + (((colour.R - _image[p + 2]) * alpha) >> 8));
            }

            if (cls >= 0)
            {
                var centre = x + 0.5f;
                if (centre >= xl && centre < xr)
                {
                    _mask[row + x] = (byte)cls;
                }
            }
        }
    }

    /// <summary>Multiplies the image by <paramref name="factor"/> over a span (coverage-weighted); the mask is untouched.</summary>
    public void DarkenSpan(int y, float xl, float xr, float factor)
    {
        if (!(xr > xl) || xr <= 0f || xl >= Width)
        {
            return;
        }

        var x0 = Math.Max(0, (int)MathF.Floor(xl));
        var x1 = Math.Min(Width - 1, (int)MathF.Ceiling(xr) - 1);
        var row = y * Width;
        for (var x = x0; x <= x1; x++)
        {
            var coverage = MathF.Min(1f, MathF.Min(x + 1, xr) - MathF.Max(x, xl));
            var k = (int)((1f - ((1f - factor) * coverage)) * 256f);
            var p = (row + x) * 3;
            _image[p] = (byte)((_image[p] * k) >> 8);
            _image[p + 1] = (byte)((_image[p + 1] * k) >> 8);
            _image[p + 2] = (byte)((_image[p + 2] * k) >> 8);
        }
    }

    /// <summary>
    /// Fills a convex polygon (screen coordinates, any winding) with a vertical gradient from <paramref name="top"/>
    /// to <paramref name="bottom"/>. Rows whose ground is nearer than <paramref name="depth"/> are skipped.
    /// </summary>
    public void FillConvex(ReadOnlySpan<Vector2> points, Colour top, Colour bottom, int cls, float depth, float opacity = 1f)
    {
        if (points.Length < 3)
        {
            return;
        }

        var ymin = float.MaxValue;
        var ymax = float.MinValue;
        foreach (var p in points)
        {
            ymin = MathF.Min(ymin, p.Y);
            ymax = MathF.Max(ymax, p.Y);
        }

        if (!(ymax > ymin) || ymax <= 0f || ymin >= Height)
        {
            return;
        }

        var y0 = Math.Max(0, (int)MathF.Floor(ymin));
        var y1 = Math.Min(Height - 1, (int)MathF.Ceiling(ymax) - 1);
        var span = ymax - ymin;
        var hidden = depth * 0.985f;
        for (var y = y0; y <= y1; y++)
        {
            if (RowDepth[y] < hidden)
            {
                continue;
            }

            var yc = y + 0.5f;
            var inside = yc >= ymin && yc < ymax;
            var ys = inside ? yc : Math.Clamp(yc, ymin + (span * 1e-3f), ymax - (span * 1e-3f));
            if (!Intersect(points, ys, out var xl, out var xr))
            {
                continue;
            }

            var coverY = MathF.Min(y + 1, ymax) - MathF.Max(y, ymin);
            var colour = top == bottom ? top : top.Lerp(bottom, (ys - ymin) / span);
            FillSpan(y, xl, xr, colour, inside ? cls : KeepClass, opacity * MathF.Min(1f, coverY));
        }
    }

    /// <summary>Fills a convex polygon in one colour.</summary>
    public void FillConvex(ReadOnlySpan<Vector2> points, Colour colour, int cls, float depth, float opacity = 1f) =>
        FillConvex(points, colour, colour, cls, depth, opacity);

    /// <summary>Fills an axis-aligned ellipse (centre and radii in pixels).</summary>
    public void FillEllipse(float cx, float cy, float rx, float ry, Colour colour, int cls, float depth, float opacity = 1f)
    {
        if (rx <= 0f || ry <= 0f)
        {
            return;
        }

        var ymin = cy - ry;
        var ymax = cy + ry;
        if (ymax <= 0f || ymin >= Height || cx + rx <= 0f || cx - rx >= Width)
        {
            return;
        }

        var y0 = Math.Max(0, (int)MathF.Floor(ymin));
        var y1 = Math.Min(Height - 1, (int)MathF.Ceiling(ymax) - 1);
        var hidden = depth * 0.985f;
        for (var y = y0; y <= y1; y++)
        {
            if (RowDepth[y] < hidden)
            {
                continue;
            }

            var yc = y + 0.5f;
            var inside = yc >= ymin && yc < ymax;
            var ys = inside ? yc : Math.Clamp(yc, ymin + (ry * 0.02f), ymax - (ry * 0.02f));
            var t = (ys - cy) / ry;
            var half = rx * MathF.Sqrt(MathF.Max(0f, 1f - (t * t)));
            var coverY = MathF.Min(y + 1, ymax) - MathF.Max(y, ymin);
            FillSpan(y, cx - half, cx + half, colour, inside ? cls : KeepClass, opacity * MathF.Min(1f, coverY));
        }
    }

    /// <summary>
    /// Darkens a convex polygon lying on the ground between distances <paramref name="near"/> and
    /// <paramref name="far"/> (a shadow): only rows whose visible ground is in that range are touched.
    /// </summary>
    public void DarkenGround(ReadOnlySpan<Vector2> points, float factor, float near, float far)
    {
        var ymin = float.MaxValue;
        var ymax = float.MinValue;
        foreach (var p in points)
        {
            ymin = MathF.Min(ymin, p.Y);
            ymax = MathF.Max(ymax, p.Y);
        }

        if (!(ymax > ymin) || ymax <= 0f || ymin >= Height)
        {
            return;
        }

        var y0 = Math.Max(0, (int)MathF.Floor(ymin));
        var y1 = Math.Min(Height - 1, (int)MathF.Ceiling(ymax) - 1);
        for (var y = y0; y <= y1; y++)
        {
            var d = RowDepth[y];
            if (d < near * 0.97f || d > far * 1.03f)
            {
                continue;
            }

            var ys = Math.Clamp(y + 0.5f, ymin + ((ymax - ymin) * 1e-3f), ymax - ((ymax - ymin) * 1e-3f));
            if (Intersect(points, ys, out var xl, out var xr))
            {
                var coverY = MathF.Min(1f, MathF.Min(y + 1, ymax) - MathF.Max(y, ymin));
                DarkenSpan(y, xl, xr, 1f - ((1f - factor) * coverY));
            }
        }
    }

    /// <summary>A scratch buffer for building polygons without allocating (valid until the next call).</summary>
    public Span<Vector2> Scratch(int count) => _clip.AsSpan(0, count);

    private static bool Intersect(ReadOnlySpan<Vector2> points, float y, out float xl, out float xr)
    {
        xl = float.MaxValue;
        xr = float.MinValue;
        var prev = points[^1];
        foreach (var p in points)
        {
            var (lo, hi) = prev.Y <= p.Y ? (prev, p) : (p, prev);
            if (y >= lo.Y && y <= hi.Y && hi.Y > lo.Y)
            {
                var x = lo.X + ((hi.X - lo.X) * ((y - lo.Y) / (hi.Y - lo.Y)));
                xl = MathF.Min(xl, x);
                xr = MathF.Max(xr, x);
            }

            prev = p;
        }

        return xr >= xl;
    }
}
