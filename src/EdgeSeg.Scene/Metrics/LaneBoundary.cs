namespace EdgeSeg.Scene.Metrics;

/// <summary>
/// One lane boundary fitted as the image line x = <see cref="XAtReference"/> + <see cref="Slope"/> * (y - reference row).
/// </summary>
/// <param name="Found">Enough marking rows supported the line; the other members are meaningless when false.</param>
/// <param name="XAtReference">Column where the line crosses the reference row (pixel centres at integers).</param>
/// <param name="Slope">Columns per row (dx/dy).</param>
/// <param name="SupportRows">Rows of the search region with an inlier marking on this frame; 0 for a boundary held from earlier frames or predicted.</param>
/// <param name="Confidence">
/// Fraction of the search region's rows with an inlier marking (0..1), averaged over frames (a frame where the
/// boundary is held counts as 0), so the dashes of a dashed line coming and going do not make it flicker.
/// </param>
public readonly record struct LaneBoundary(bool Found, double XAtReference, double Slope, int SupportRows, double Confidence)
{
    /// <summary>No boundary.</summary>
    public static LaneBoundary None => new(false, 0, 0, 0, 0);
}
