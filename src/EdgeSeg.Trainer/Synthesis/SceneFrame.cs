namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Everything that decides one rendered frame: camera, road shape and cross-section, the camera's position on
/// the road, light, objects and sensor effects, and the seed of the frame's textures and noise.
/// </summary>
internal sealed record SceneFrame(
    Camera Camera,
    RoadGeometry Road,
    RoadLayout Layout,
    float S0,
    float CameraX,
    Lighting Light,
    IReadOnlyList<SceneObject> Objects,
    SensorSettings Sensor,
    ulong WorldSeed,
    ulong NoiseSeed);
