namespace EdgeSeg.Scene.Events;

/// <summary>The wire names of event types and phases used in the <c>events</c> payload.</summary>
public static class SceneEventNames
{
    /// <summary>The snake_case wire name of <paramref name="type"/>.</summary>
    public static string Of(SceneEventType type) => type switch
    {
        SceneEventType.PedestrianInCorridor => "pedestrian_in_corridor",
        SceneEventType.VehicleClose => "vehicle_close",
        SceneEventType.LaneDeparture => "lane_departure",
        SceneEventType.CameraObstructed => "camera_obstructed",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a scene event type."),
    };

    /// <summary>The wire name of <paramref name="phase"/>: <c>start</c>, <c>update</c> or <c>end</c>.</summary>
    public static string Of(SceneEventPhase phase) => phase switch
    {
        SceneEventPhase.Start => "start",
        SceneEventPhase.Update => "update",
        SceneEventPhase.End => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Not a scene event phase."),
    };
}
