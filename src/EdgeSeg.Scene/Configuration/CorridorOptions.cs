namespace EdgeSeg.Scene.Configuration;

/// <summary>
/// The ego corridor: a symmetric trapezoid ahead of the vehicle in normalised image coordinates. The defaults suit a
/// windscreen dashcam looking straight ahead with the horizon near mid-frame.
/// </summary>
public sealed class CorridorOptions
{
    /// <summary>Horizontal centre of the corridor (0..1). Default 0.5.</summary>
    public double CenterX { get; set; } = 0.5;

    /// <summary>Bottom edge (0..1], below <see cref="TopY"/>. Default 1 (the frame's bottom edge).</summary>
    public double BottomY { get; set; } = 1.0;

    /// <summary>Top edge [0..1), above <see cref="BottomY"/>. Default 0.6.</summary>
    public double TopY { get; set; } = 0.6;

    /// <summary>Width of the bottom edge as a fraction of the frame width (0..2]. Default 0.7.</summary>
    public double BottomWidth { get; set; } = 0.7;

    /// <summary>Width of the top edge as a fraction of the frame width [0..2]. Default 0.16.</summary>
    public double TopWidth { get; set; } = 0.16;

    /// <summary>
    /// Vehicle or pedestrian pixels inside the corridor needed to report that class as present. Default 50.
    /// </summary>
    public int MinPresencePixels { get; set; } = 50;
}
