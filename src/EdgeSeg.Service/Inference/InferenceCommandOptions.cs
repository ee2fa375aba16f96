using System.CommandLine;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Service.Inference;

/// <summary>The command-line options <c>infer</c>, <c>doctor</c> and <c>bench</c> share: how ONNX Runtime opens the model.</summary>
internal sealed class InferenceCommandOptions
{
    public Option<string[]> Providers { get; } = new("--providers")
    {
        Description = "Execution providers in order of preference (comma or space separated): tensorrt, cuda, cpu.",
        DefaultValueFactory = _ => [.. InferenceOptions.DefaultProviders],
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> DeviceId { get; } = new("--device-id") { Description = "The GPU the CUDA and TensorRT providers use.", DefaultValueFactory = _ => 0 };

    public Option<int> Threads { get; } = new("--threads") { Description = "Intra-op threads (0: one per physical core).", DefaultValueFactory = _ => 0 };

    public Option<string?> Library { get; } = new("--library") { Description = "A site's own libonnxruntime.so (ONNX Runtime 1.32 or newer: a CUDA 12 or JetPack build) to load instead of the bundled one." };

    public Option<string?> TensorRtCache { get; } = new("--trt-cache") { Description = "Folder for TensorRT's engine cache." };

    public Option<bool> TensorRtFp16 { get; } = new("--trt-fp16") { Description = "Let TensorRT build FP16 engines." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Providers);
        command.Options.Add(DeviceId);
        command.Options.Add(Threads);
        command.Options.Add(Library);
        command.Options.Add(TensorRtCache);
        command.Options.Add(TensorRtFp16);
    }

    /// <summary>The inference options the parse result asks for.</summary>
    public InferenceOptions Read(ParseResult result, Action<string>? log) => new()
    {
        Providers = [.. (result.GetValue(Providers) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        DeviceId = result.GetValue(DeviceId),
        IntraOpThreads = result.GetValue(Threads),
        LibraryPath = result.GetValue(Library),
        TensorRtCachePath = result.GetValue(TensorRtCache),
        TensorRtFp16 = result.GetValue(TensorRtFp16),
        Log = log,
    };
}
