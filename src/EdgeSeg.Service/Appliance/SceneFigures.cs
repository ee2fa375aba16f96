using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The scalar figures of one frame's scene metrics, copied out of the analyser's <see cref="SceneMetrics"/> (which the
/// next frame overwrites) so that later stages and the live page can keep them. A value: copying it allocates nothing.
/// </summary>
/// <param name="FrameIndex">Frames the source's analyser saw before this one.</param>
/// <param name="Timestamp">The frame's scene time.</param>
/// <param name="Width">Mask width in pixels.</param>
/// <param name="Height">Mask height in pixels.</param>
/// <param name="Coverage">Pixel counts per class over the frame.</param>
/// <param name="Corridor">The ego corridor.</param>
/// <param name="NearestVehicle">The nearest vehicle in the corridor.</param>
/// <param name="NearestPedestrian">The nearest pedestrian in the corridor.</param>
/// <param name="Lane">Lane position.</param>
/// <param name="Quality">Frame quality.</param>
internal readonly record struct SceneFigures(
    long FrameIndex,
    DateTimeOffset Timestamp,
    int Width,
    int Height,
    ClassCoverage Coverage,
    CorridorMetrics Corridor,
    ProximityMetrics NearestVehicle,
    ProximityMetrics NearestPedestrian,
    LaneMetrics Lane,
    QualityMetrics Quality)
{
    /// <summary>Copies the figures of <paramref name="metrics"/>.</summary>
    public static SceneFigures From(SceneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new SceneFigures(metrics.FrameIndex, metrics.Timestamp, metrics.Width, metrics.Height, metrics.Coverage, metrics.Corridor,
            metrics.NearestVehicle, metrics.NearestPedestrian, metrics.Lane, metrics.Quality);
    }
}
