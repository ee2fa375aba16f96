namespace EdgeSeg.Scene.Configuration;

/// <summary>
/// Optional camera calibration for flat-ground distance estimates. Give the focal length either in pixels or as a
/// horizontal field of view, and the camera's tilt either as the horizon row or as a pitch angle.
/// </summary>
public sealed class CameraCalibrationOptions
{
    /// <summary>Height of the camera above the road in metres (&gt; 0). Default 1.3.</summary>
    public double MountingHeightMetres { get; set; } = 1.3;

    /// <summary>Focal length in pixels of the analysed mask's resolution; null to derive it from <see cref="HorizontalFovDegrees"/>.</summary>
    public double? FocalLengthPixels { get; set; }

    /// <summary>Horizontal field of view in degrees (0..180); used when <see cref="FocalLengthPixels"/> is null. Default 100.</summary>
    public double? HorizontalFovDegrees { get; set; } = 100;

    /// <summary>The horizon's row, normalised (0..1); null to derive it from <see cref="PitchDegrees"/>.</summary>
    public double? HorizonY { get; set; }

    /// <summary>Downward tilt of the optical axis in degrees (-45..45); used when <see cref="HorizonY"/> is null. Default 0.</summary>
    public double? PitchDegrees { get; set; } = 0;
}
