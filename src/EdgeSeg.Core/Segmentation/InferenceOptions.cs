namespace EdgeSeg.Core.Segmentation;

/// <summary>How an inference backend opens a model: providers, device, threads. Mutable configuration object.</summary>
public sealed class InferenceOptions
{
    /// <summary>The provider preference used when none is configured.</summary>
    public static IReadOnlyList<string> DefaultProviders { get; } = ["tensorrt", "cuda", "cpu"];

    /// <summary>
    /// Execution providers in order of preference (<c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>): each is tried in turn
    /// and the first that opens the model runs it.
    /// </summary>
    public IReadOnlyList<string> Providers { get; set; } = DefaultProviders;

    /// <summary>The GPU the CUDA and TensorRT providers use.</summary>
    public int DeviceId { get; set; }

    /// <summary>Folder for TensorRT's engine cache (built engines are reused across runs); null disables the cache.</summary>
    public string? TensorRtCachePath { get; set; }

    /// <summary>Lets TensorRT build FP16 engines.</summary>
    public bool TensorRtFp16 { get; set; }

    /// <summary>Threads one inference uses; 0 lets the engine choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Graph optimisation level.</summary>
    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.All;

    /// <summary>
    /// The engine's native library to load instead of the one installed beside the application (a site's GPU build),
    /// or null for the default. Only the first library a process loads is used.
    /// </summary>
    public string? LibraryPath { get; set; }

    /// <summary>Receives one line per notable event (which provider runs and why the others were skipped); may be null.</summary>
    public Action<string>? Log { get; set; }
}
