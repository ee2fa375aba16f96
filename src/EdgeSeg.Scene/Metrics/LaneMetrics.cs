namespace EdgeSeg.Scene.Metrics;

/// <summary>The ego lane: its boundaries and the vehicle's position in it.</summary>
/// <param name="Status">Which boundaries were found.</param>
/// <param name="Left">The left boundary.</param>
/// <param name="Right">The right boundary.</param>
/// <param name="LateralOffset">
/// (camera column - lane centre) / lane width at the reference row: 0 centred, positive right of centre, ±0.5 on a
/// boundary; crossing a line makes the lane beyond it the lane, so the offset jumps from -0.5 to +0.5 (or back).
/// Null unless <see cref="Status"/> is <see cref="LaneStatus.Found"/>.
/// </param>
/// <param name="WidthPixels">Lane width at the reference row; null unless found.</param>
/// <param name="Confidence">The smaller of the two boundaries' confidences; 0 unless found.</param>
public readonly record struct LaneMetrics(
    LaneStatus Status,
    LaneBoundary Left,
    LaneBoundary Right,
    double? LateralOffset,
    double? WidthPixels,
    double Confidence)
{
    /// <summary>No lane found.</summary>
    public static LaneMetrics NotFound => new(LaneStatus.NotFound, LaneBoundary.None, LaneBoundary.None, null, null, 0);
}
