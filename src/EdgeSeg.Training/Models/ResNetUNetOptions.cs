namespace EdgeSeg.Training.Models;

/// <summary>Architecture of a <see cref="ResNetUNet"/>.</summary>
public sealed record ResNetUNetOptions
{
    /// <summary>
    /// Blocks per encoder stage. The default, 2, 2, 2, 3, is the graph of the ImageNet ResNet-18 we import (its last
    /// stage holds one block more than torchvision's resnet18).
    /// </summary>
    public IReadOnlyList<int> BlocksPerStage { get; init; } = [2, 2, 2, 3];

    /// <summary>
    /// Output channels of the five decoder blocks, deepest first (segmentation_models.pytorch's Unet default:
    /// 256, 128, 64, 32, 16).
    /// </summary>
    public IReadOnlyList<int> DecoderChannels { get; init; } = [256, 128, 64, 32, 16];

    /// <summary>Output classes (logit channels).</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (BlocksPerStage.Count != 4 || BlocksPerStage.Any(b => b is < 1 or > 16))
        {
            throw new ArgumentException($"ResNetUNetOptions.BlocksPerStage must hold four counts of 1..16; it is [{string.Join(", ", BlocksPerStage)}].");
        }

        if (DecoderChannels.Count != 5 || DecoderChannels.Any(c => c is < 1 or > 1024))
        {
            throw new ArgumentException($"ResNetUNetOptions.DecoderChannels must hold five counts of 1..1024; it is [{string.Join(", ", DecoderChannels)}].");
        }

        if (Classes < 2)
        {
            throw new ArgumentException($"ResNetUNetOptions.Classes must be >= 2; it is {Classes}.");
        }
    }
}
