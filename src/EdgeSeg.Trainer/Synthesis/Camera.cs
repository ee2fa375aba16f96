namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A pinhole dashcam: image size, focal length in pixels, principal point column, the horizon row of the camera's
/// local road plane, and the lens height above the road. No roll; pitch is folded into <see cref="HorizonY"/>.
/// </summary>
internal sealed record Camera(int Width, int Height, float Focal, float CentreX, float HorizonY, float MountHeight)
{
    /// <summary>A camera with horizontal field of view <paramref name="fovDegrees"/> and the horizon at a fraction of the height.</summary>
    public static Camera Create(int width, int height, float fovDegrees, float horizonFraction, float mountHeight)
    {
        var focal = width / 2f / MathF.Tan(fovDegrees * MathF.PI / 360f);
        return new Camera(width, height, focal, width / 2f, height * horizonFraction, mountHeight);
    }
}
