namespace EdgeSeg.Trainer.Augmentation;

/// <summary>The random draws for one augmented sample; drawn all at once, in a fixed order, by <see cref="Augmenter.Draw"/>.</summary>
/// <param name="Scale">Scale factor applied to the sample before cropping.</param>
/// <param name="OffsetX">Crop position across the free horizontal range, 0..1.</param>
/// <param name="OffsetY">Crop position across the free vertical range, 0..1.</param>
/// <param name="Flip">Whether to flip left-right.</param>
/// <param name="Brightness">Brightness factor.</param>
/// <param name="Contrast">Contrast factor.</param>
/// <param name="Saturation">Saturation factor.</param>
/// <param name="Blur">Whether to blur.</param>
/// <param name="Noise">Whether to add noise.</param>
/// <param name="NoiseSeed">Seed of the noise.</param>
internal readonly record struct AugmentationParameters(
    double Scale,
    double OffsetX,
    double OffsetY,
    bool Flip,
    double Brightness,
    double Contrast,
    double Saturation,
    bool Blur,
    bool Noise,
    int NoiseSeed)
{
    /// <summary>Scale 1, centred, no flip, colours unchanged.</summary>
    public static AugmentationParameters Identity { get; } = new(1, 0.5, 0.5, false, 1, 1, 1, false, false, 0);
}
