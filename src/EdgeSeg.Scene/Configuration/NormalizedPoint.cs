namespace EdgeSeg.Scene.Configuration;

/// <summary>
/// A point in normalised image coordinates: <see cref="X"/> 0 at the left edge and 1 at the right edge,
/// <see cref="Y"/> 0 at the top edge and 1 at the bottom edge. A settable class so configuration can bind it.
/// </summary>
public sealed class NormalizedPoint
{
    /// <summary>Creates the point (0, 0).</summary>
    public NormalizedPoint()
    {
    }

    /// <summary>Creates the point (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public NormalizedPoint(double x, double y)
    {
        X = x;
        Y = y;
    }

    /// <summary>Horizontal position, 0 (left edge) to 1 (right edge).</summary>
    public double X { get; set; }

    /// <summary>Vertical position, 0 (top edge) to 1 (bottom edge).</summary>
    public double Y { get; set; }
}
