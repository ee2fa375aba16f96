using EdgeSeg.Core.Classes;

namespace EdgeSeg.Scene.Metrics;

/// <summary>
/// One connected component (8-connected) of vehicle or pedestrian pixels at least the configured minimum area.
/// Coordinates are pixels of the analysed mask, with pixel (x, y) centred at (x, y).
/// </summary>
/// <param name="Class">Vehicle or pedestrian.</param>
/// <param name="Area">Pixels in the component.</param>
/// <param name="Box">Bounding box.</param>
/// <param name="CentroidX">Mean column of its pixels.</param>
/// <param name="CentroidY">Mean row of its pixels.</param>
/// <param name="BottomCenterX">Middle of the component's pixels on its bottom row (where it meets the ground).</param>
/// <param name="BottomY">Its bottom row (<see cref="PixelBox.Bottom"/> - 1).</param>
/// <param name="TouchesCorridor">At least one of its pixels is inside the ego corridor.</param>
/// <param name="Proximity">Its bottom edge as a proximity: 0 at the horizon, 1 at the frame's bottom edge.</param>
public readonly record struct SceneObject(
    ApplianceClass Class,
    int Area,
    PixelBox Box,
    double CentroidX,
    double CentroidY,
    double BottomCenterX,
    int BottomY,
    bool TouchesCorridor,
    double Proximity);
