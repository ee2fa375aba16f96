namespace EdgeSeg.Scene.Configuration;

/// <summary>How lane boundaries are fitted from lane-marking pixels in the lower part of the frame.</summary>
public sealed class LaneOptions
{
    /// <summary>Top of the search region (0..1); rows from here to the bottom are searched. Default 0.55.</summary>
    public double RegionTop { get; set; } = 0.55;

    /// <summary>The row, normalised (0..1), where lane width and offset are measured. Default 1 (the bottom row).</summary>
    public double ReferenceY { get; set; } = 1.0;

    /// <summary>The camera's horizontal position (0..1) taken as the vehicle's centre. Default 0.5.</summary>
    public double CameraX { get; set; } = 0.5;

    /// <summary>
    /// Widest marking run, as a fraction of the frame width at the bottom edge, shrinking linearly to nothing at the
    /// horizon as markings do in perspective. Wider runs (stop lines, arrow shafts, road text) are ignored. Default 0.035.
    /// </summary>
    public double MaxMarkingWidth { get; set; } = 0.035;

    /// <summary>A candidate point is an inlier within this fraction of the frame width of a line. Default 0.008.</summary>
    public double InlierTolerance { get; set; } = 0.008;

    /// <summary>Fraction of the region's rows that must hold an inlier for a boundary to count as found. Default 0.08.</summary>
    public double MinSupport { get; set; } = 0.08;

    /// <summary>
    /// Fraction of the region's rows that a boundary's inliers must span from first to last. Long enough that a road
    /// arrow or a cycle symbol in the lane is never taken for a new boundary, short enough for a dashed line. A boundary
    /// tracked from earlier frames needs a quarter of this near its prediction (one dash). Default 0.5.
    /// </summary>
    public double MinSpan { get; set; } = 0.5;

    /// <summary>Narrowest plausible lane at the reference row, as a fraction of the frame width. Default 0.15.</summary>
    public double MinLaneWidth { get; set; } = 0.15;

    /// <summary>RANSAC hypotheses per side (1..256). Default 64.</summary>
    public int Iterations { get; set; } = 64;

    /// <summary>Seed of the RANSAC sampler; re-seeded every frame so one mask always gives one answer. Default 1234.</summary>
    public int Seed { get; set; } = 1234;
}
