namespace EdgeSeg.Scene.Events;

/// <summary>The kinds of scene event. Wire names are in <see cref="SceneEventNames"/>.</summary>
public enum SceneEventType
{
    /// <summary><c>pedestrian_in_corridor</c>: pedestrian pixels in the ego corridor.</summary>
    PedestrianInCorridor = 0,

    /// <summary><c>vehicle_close</c>: the nearest vehicle in the corridor is close or closing fast.</summary>
    VehicleClose = 1,

    /// <summary><c>lane_departure</c>: the vehicle is off its lane's centre beyond a threshold.</summary>
    LaneDeparture = 2,

    /// <summary><c>camera_obstructed</c>: almost no road and low confidence.</summary>
    CameraObstructed = 3,
}
