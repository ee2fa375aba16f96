using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Service.Bench;

/// <summary>What <c>edgeseg bench</c> measures and how long. Immutable.</summary>
internal sealed record BenchRequest
{
    /// <summary>The ONNX model.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Its card, or null for the one beside the model.</summary>
    public string? CardPath { get; init; }

    /// <summary>The clip (or image folder) fed to the service; it loops as long as a phase needs frames.</summary>
    public required string Input { get; init; }

    /// <summary>How ONNX Runtime opens the model (providers, threads, device, library), for both measurements.</summary>
    public required InferenceOptions Inference { get; init; }

    /// <summary>Frames skipped at the start of each service phase (model warm-up, first allocations).</summary>
    public int WarmUpFrames { get; init; } = 20;

    /// <summary>Frames measured in the throughput phase (source unpaced).</summary>
    public int Frames { get; init; } = 300;

    /// <summary>Run calls measured in the Run-only phase.</summary>
    public int RunIterations { get; init; } = 100;

    /// <summary>Frames measured in the latency phase (source paced at <see cref="LatencyFps"/>); 0 skips it.</summary>
    public int LatencyFrames { get; init; } = 30;

    /// <summary>Input rate of the latency phase.</summary>
    public double LatencyFps { get; init; } = 1;

    /// <summary>Minutes of the memory soak (source unpaced); 0 skips it. The goal is stated over 30.</summary>
    public double SoakMinutes { get; init; }

    /// <summary>A broker to use as host:port, or null to start a local mosquitto for the run.</summary>
    public string? Broker { get; init; }

    /// <summary>Also write the results as JSON here.</summary>
    public string? JsonPath { get; init; }
}
