using System.Numerics;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Projection of road coordinates (lateral offset X from the road's centre line, distance d along the road, height z
/// above the road surface) into the image for one frame, and the per-row ground table the renderer fills rows from.
/// </summary>
internal sealed class GroundProjection
{
    /// <summary>Nothing nearer than this is projected (objects closer are dropped whole).</summary>
    public const float NearPlane = 0.8f;

    private const int Samples = 640;
    private const float FarDistance = 4000f;

    public GroundProjection(Camera camera, RoadGeometry road, float s0, float cameraX)
    {
        Camera = camera;
        Road = road;
        S0 = s0;
        CameraX = cameraX;
        RowDistance = new float[camera.Height];
        RowCentreX = new float[camera.Height];
        RowScale = new float[camera.Height];
        BuildRows();
    }

    public Camera Camera { get; }

    public RoadGeometry Road { get; }

    /// <summary>Absolute position of the camera along the road.</summary>
    public float S0 { get; }

    /// <summary>Lateral position of the camera relative to the road's centre line (metres, positive right).</summary>
    public float CameraX { get; }

    /// <summary>Ground distance at each row's centre; infinity for rows above the visible terrain.</summary>
    public float[] RowDistance { get; }

    /// <summary>Screen x of the road's centre line at each row's centre.</summary>
    public float[] RowCentreX { get; }

    /// <summary>Pixels per metre laterally at each row's centre.</summary>
    public float[] RowScale { get; }

    /// <summary>Screen position of road point (x, d, z). Valid for d &gt;= <see cref="NearPlane"/>.</summary>
    public Vector2 Project(float x, float d, float z)
    {
        var inv = Camera.Focal / d;
        return new Vector2(
            Camera.CentreX + ((Road.Lateral(S0, d) + x - CameraX) * inv),
            Camera.HorizonY + ((Camera.MountHeight - Road.Height(S0, d) - z) * inv));
    }

    /// <summary>Pixels per metre at distance d.</summary>
    public float Scale(float d) => Camera.Focal / d;

    // Marches the road from near to far, keeping the highest row reached so far: a row is ground at the first
    // distance that reaches it, and stretches that go back down (behind a crest) are hidden. Between samples
    // 1/d is interpolated linearly in y, which is exact on a flat road (y - horizon = f h / d).
    private void BuildRows()
    {
        var cam = Camera;
        Array.Fill(RowDistance, float.PositiveInfinity);
        var below = cam.Height - cam.HorizonY;
        var dNear = below > 1f ? MathF.Max(0.3f, cam.Focal * cam.MountHeight / (below + 4f)) : 0.3f;
        var ratio = MathF.Pow(FarDistance / dNear, 1f / Samples);
        var top = (float)cam.Height;
        var dPrev = dNear;
        var yPrev = GroundY(dPrev);
        for (var i = 1; i <= Samples && top > 0f; i++)
        {
            var d = dPrev * ratio;
            var y = GroundY(d);
            if (y < top)
            {
                var from = Math.Min((int)MathF.Ceiling(top - 0.5f) - 1, cam.Height - 1);
                for (var row = from; row >= 0; row--)
                {
                    var yc = row + 0.5f;
                    if (yc < y)
                    {
                        break;
                    }

                    // top <= yPrev always (top is the lowest y so far), so yPrev > yc >= y here.
                    var t = Math.Clamp((yPrev - yc) / (yPrev - y), 0f, 1f);
                    var inv = (1f / dPrev) + (((1f / d) - (1f / dPrev)) * t);
                    var dist = 1f / inv;
                    RowDistance[row] = dist;
                    RowScale[row] = cam.Focal * inv;
                    RowCentreX[row] = cam.CentreX + ((Road.Lateral(S0, dist) - CameraX) * cam.Focal * inv);
                }

                top = y;
            }

            dPrev = d;
            yPrev = y;
        }
    }

    private float GroundY(float d) => Camera.HorizonY + ((Camera.MountHeight - Road.Height(S0, d)) * Camera.Focal / d);
}
