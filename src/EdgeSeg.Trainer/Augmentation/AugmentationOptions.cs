namespace EdgeSeg.Trainer.Augmentation;

/// <summary>What the training augmentation may do to a sample. Immutable.</summary>
internal sealed record AugmentationOptions
{
    /// <summary>No augmentation at all: scale 1, centred crop, no flip, no colour change (validation).</summary>
    public static AugmentationOptions None { get; } = new()
    {
        MinScale = 1, MaxScale = 1, HorizontalFlip = false, Brightness = 0, Contrast = 0, Saturation = 0,
    };

    /// <summary>Smallest random scale factor (applied before cropping).</summary>
    public double MinScale { get; init; } = 0.75;

    /// <summary>Largest random scale factor.</summary>
    public double MaxScale { get; init; } = 1.5;

    /// <summary>Flip left-right with probability one half.</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Brightness factor drawn from [1 - b, 1 + b].</summary>
    public double Brightness { get; init; } = 0.25;

    /// <summary>Contrast factor (around the mean grey) drawn from [1 - c, 1 + c].</summary>
    public double Contrast { get; init; } = 0.25;

    /// <summary>Saturation factor (away from each pixel's grey) drawn from [1 - s, 1 + s].</summary>
    public double Saturation { get; init; } = 0.25;

    /// <summary>Probability of a 3x3 binomial blur.</summary>
    public double BlurProbability { get; init; }

    /// <summary>Probability of additive Gaussian noise.</summary>
    public double NoiseProbability { get; init; }

    /// <summary>Standard deviation of the noise in grey levels.</summary>
    public double NoiseSigma { get; init; } = 6;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (!(MinScale > 0) || !(MaxScale >= MinScale) || !double.IsFinite(MaxScale))
        {
            throw new ArgumentException($"Augmentation scale range [{MinScale}, {MaxScale}] must satisfy 0 < min <= max.");
        }

        foreach (var (name, value) in new[] { ("brightness", Brightness), ("contrast", Contrast), ("saturation", Saturation) })
        {
            if (value is < 0 or >= 1)
            {
                throw new ArgumentException($"Augmentation {name} {value} must be in [0, 1).");
            }
        }

        foreach (var (name, value) in new[] { ("blur probability", BlurProbability), ("noise probability", NoiseProbability) })
        {
            if (value is < 0 or > 1)
            {
                throw new ArgumentException($"Augmentation {name} {value} must be in [0, 1].");
            }
        }
    }
}
