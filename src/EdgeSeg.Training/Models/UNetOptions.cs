namespace EdgeSeg.Training.Models;

/// <summary>Architecture of a <see cref="UNet"/>.</summary>
public sealed record UNetOptions
{
    /// <summary>Encoder levels with a max-pool after each (input padded to a multiple of 2^Depth). 1..8.</summary>
    public int Depth { get; init; } = 4;

    /// <summary>Channels of the first level; level i has BaseWidth * 2^i, the bottleneck BaseWidth * 2^Depth.</summary>
    public int BaseWidth { get; init; } = 32;

    /// <summary>Output classes (logit channels).</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Input channels (3 for colour).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Decoder up-sampling.</summary>
    public UpsamplingMode Upsampling { get; init; } = UpsamplingMode.TransposedConv;

    /// <summary>Dropout probability after the bottleneck (0 = none).</summary>
    public float BottleneckDropout { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (Depth is < 1 or > 8)
        {
            throw new ArgumentException($"UNetOptions.Depth must be 1..8; it is {Depth}.");
        }

        if (BaseWidth is < 1 or > 1024)
        {
            throw new ArgumentException($"UNetOptions.BaseWidth must be 1..1024; it is {BaseWidth}.");
        }

        if (Classes < 2)
        {
            throw new ArgumentException($"UNetOptions.Classes must be >= 2; it is {Classes}.");
        }

        if (InputChannels < 1)
        {
            throw new ArgumentException($"UNetOptions.InputChannels must be >= 1; it is {InputChannels}.");
        }

        if (BottleneckDropout is < 0f or >= 1f)
        {
            throw new ArgumentException($"UNetOptions.BottleneckDropout must be in [0, 1); it is {BottleneckDropout}.");
        }
    }
}
