namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// What the camera does to the rendered light: Gaussian-like sensor noise (standard deviation in grey levels),
/// a blur of 0 (none), 1 or 2 passes of a 3-tap binomial filter, horizontal motion blur (taps), and a JPEG-style
/// 8x8 DCT quantisation round trip at <see cref="JpegQuality"/> (0 = off).
/// </summary>
internal sealed record SensorSettings(float NoiseSigma, int BlurPasses, int MotionBlur, int JpegQuality, float Vignette)
{
    /// <summary>No effects at all: the image is exactly what the renderer drew.</summary>
    public static SensorSettings None { get; } = new(0f, 0, 0, 0, 0f);
}
