namespace EdgeSeg.Scene.Metrics;

/// <summary>The nearest object of one class inside the ego corridor, and how fast it is closing.</summary>
/// <param name="Present">An object of the class touches the corridor; every other member is meaningless when false.</param>
/// <param name="ObjectIndex">Its index in <see cref="SceneMetrics.Objects"/>.</param>
/// <param name="Proximity">Its bottom edge: 0 at the horizon, 1 at the frame's bottom edge.</param>
/// <param name="DistanceMetres">Flat-ground distance to its bottom edge; null without calibration or above the horizon.</param>
/// <param name="ClosingRate">Smoothed rate of change of proximity per second (positive = closing); null on its first frame.</param>
/// <param name="TimeToContactSeconds">Proximity / closing rate while closing faster than the configured minimum; else null.</param>
public readonly record struct ProximityMetrics(
    bool Present,
    int ObjectIndex,
    double Proximity,
    double? DistanceMetres,
    double? ClosingRate,
    double? TimeToContactSeconds)
{
    /// <summary>No object of the class in the corridor.</summary>
    public static ProximityMetrics None => new(false, -1, 0, null, null, null);
}
