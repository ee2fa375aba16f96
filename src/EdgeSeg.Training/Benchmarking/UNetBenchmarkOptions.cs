using EdgeSeg.Training.Models;

namespace EdgeSeg.Training.Benchmarking;

/// <summary>What <see cref="UNetBenchmark"/> times.</summary>
public sealed record UNetBenchmarkOptions
{
    /// <summary>U-Net depth.</summary>
    public int Depth { get; init; } = 4;

    /// <summary>U-Net base width.</summary>
    public int BaseWidth { get; init; } = 32;

    /// <summary>Classes.</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Decoder up-sampling.</summary>
    public UpsamplingMode Upsampling { get; init; } = UpsamplingMode.TransposedConv;

    /// <summary>Images per batch.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Input height.</summary>
    public int Height { get; init; } = 256;

    /// <summary>Input width.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Untimed steps first.</summary>
    public int Warmup { get; init; } = 1;

    /// <summary>Timed steps (the median is reported).</summary>
    public int Steps { get; init; } = 3;
}
