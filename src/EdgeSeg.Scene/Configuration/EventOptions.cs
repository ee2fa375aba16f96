namespace EdgeSeg.Scene.Configuration;

/// <summary>Thresholds and timings of the four scene events.</summary>
public sealed class EventOptions
{
    /// <summary><c>pedestrian_in_corridor</c>.</summary>
    public PedestrianInCorridorEventOptions PedestrianInCorridor { get; set; } = new();

    /// <summary><c>vehicle_close</c>.</summary>
    public VehicleCloseEventOptions VehicleClose { get; set; } = new();

    /// <summary><c>lane_departure</c>.</summary>
    public LaneDepartureEventOptions LaneDeparture { get; set; } = new();

    /// <summary><c>camera_obstructed</c>.</summary>
    public CameraObstructedEventOptions CameraObstructed { get; set; } = new();
}
