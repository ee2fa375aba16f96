using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The few figures of one frame's scene metrics that a trip report follows over time (<c>edgeseg process</c>), copied
/// out of the analyser's metrics, which the next frame overwrites. The same numbers the frame's metrics document holds.
/// </summary>
/// <param name="Timestamp">The frame's scene time (the document's <c>timestamp</c>).</param>
/// <param name="DrivableFraction">Road or lane marking within the ego corridor (<c>corridor.drivableFraction</c>).</param>
/// <param name="LaneOffset">Lateral offset in the lane (<c>lane.offset</c>); null when no lane was found.</param>
/// <param name="LaneConfidence">The lane's confidence (<c>lane.confidence</c>).</param>
/// <param name="VehicleProximity">The nearest vehicle in the corridor's proximity; null when there is none.</param>
/// <param name="TimeToContactSeconds">Its time-to-contact while it closes (<c>nearestVehicle.timeToContactS</c>).</param>
/// <param name="PedestrianInCorridor">A pedestrian is in the corridor (<c>corridor.pedestrianPresent</c>).</param>
/// <param name="PedestrianFraction">Pedestrian share of the corridor (<c>corridor.pedestrianFraction</c>).</param>
internal readonly record struct SceneFacts(
    DateTimeOffset Timestamp,
    double DrivableFraction,
    double? LaneOffset,
    double LaneConfidence,
    double? VehicleProximity,
    double? TimeToContactSeconds,
    bool PedestrianInCorridor,
    double PedestrianFraction)
{
    /// <summary>The facts of <paramref name="metrics"/>.</summary>
    public static SceneFacts Of(SceneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var vehicle = metrics.NearestVehicle;
        return new SceneFacts(
            metrics.Timestamp,
            metrics.Corridor.DrivableFraction,
            metrics.Lane.LateralOffset,
            metrics.Lane.Confidence,
            vehicle.Present ? vehicle.Proximity : null,
            vehicle.Present ? vehicle.TimeToContactSeconds : null,
            metrics.Corridor.PedestrianPresent,
            metrics.Corridor.PedestrianFraction);
    }
}
