using System.Collections.Frozen;

namespace EdgeSeg.Service.Configuration;

/// <summary>The <c>Model</c> section: which ONNX model runs and how.</summary>
internal sealed class ModelSettings
{
    /// <summary>The execution providers the service knows, in the order they are usually preferred.</summary>
    public static readonly IReadOnlyList<string> KnownProviders = ["tensorrt", "cuda", "cpu"];

    private static readonly FrozenDictionary<string, GraphOptimization> Levels = new Dictionary<string, GraphOptimization>
    {
        ["disabled"] = GraphOptimization.Disabled,
        ["basic"] = GraphOptimization.Basic,
        ["extended"] = GraphOptimization.Extended,
        ["all"] = GraphOptimization.All,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>Model:Path</c>: the ONNX file, absolute.</summary>
    public required string Path { get; init; }

    /// <summary><c>Model:Card</c>: the model card, absolute; null means the JSON beside the model (same stem) or the
    /// card in the model's metadata.</summary>
    public string? CardPath { get; init; }

    /// <summary><c>Model:Providers</c>: execution providers in order of preference.</summary>
    public required IReadOnlyList<string> Providers { get; init; }

    /// <summary><c>Model:DeviceId</c>: the CUDA device.</summary>
    public int DeviceId { get; init; }

    /// <summary><c>Model:TensorRt:CacheDirectory</c>: where TensorRT keeps built engines, absolute.</summary>
    public required string TensorRtCacheDirectory { get; init; }

    /// <summary><c>Model:TensorRt:Fp16</c>: let TensorRT run in half precision.</summary>
    public bool TensorRtFp16 { get; init; }

    /// <summary><c>Model:IntraOpThreads</c>: 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary><c>Model:OptimizationLevel</c>.</summary>
    public GraphOptimization OptimizationLevel { get; init; }

    /// <summary><c>Model:LibraryPath</c>: a site's own libonnxruntime.so (a CUDA 12 or JetPack build) to load instead of the bundled one.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>Reads and checks the section.</summary>
    public static ModelSettings Read(ConfigReader reader, SettingsContext context, string stateDirectory)
    {
        reader.OnlyKnown("Model", "Path", "Card", "Providers", "DeviceId", "TensorRt", "IntraOpThreads", "OptimizationLevel", "LibraryPath");
        reader.OnlyKnown("Model:TensorRt", "CacheDirectory", "Fp16");

        var path = PathRules.ExistingFile(reader, context, "Model:Path", required: true, "an ONNX model");
        var card = PathRules.ExistingFile(reader, context, "Model:Card", required: false, "a model card (JSON)");

        var providers = reader.List("Model:Providers", KnownProviders);
        var normalised = new List<string>();
        foreach (var provider in providers)
        {
            var name = provider.ToLowerInvariant();
            if (!KnownProviders.Contains(name))
            {
                reader.Fail("Model:Providers", string.Join(",", providers), $"'{provider}' is not an execution provider; use some of {string.Join(", ", KnownProviders)} in order of preference");
            }
            else if (normalised.Contains(name))
            {
                reader.Fail("Model:Providers", string.Join(",", providers), $"'{provider}' is listed twice");
            }
            else
            {
                normalised.Add(name);
            }
        }

        return new ModelSettings
        {
            Path = path ?? reader.Raw("Model:Path") ?? "",
            CardPath = card,
            Providers = normalised.Count == 0 ? KnownProviders : normalised,
            DeviceId = reader.Int("Model:DeviceId", 0, 0, 63),
            TensorRtCacheDirectory = PathRules.Directory(reader, context, "Model:TensorRt:CacheDirectory", System.IO.Path.Combine(stateDirectory, "tensorrt-cache")),
            TensorRtFp16 = reader.Bool("Model:TensorRt:Fp16", true),
            IntraOpThreads = reader.Int("Model:IntraOpThreads", 0, 0, 1024),
            OptimizationLevel = reader.Choice("Model:OptimizationLevel", GraphOptimization.All, Levels),
            LibraryPath = PathRules.ExistingFile(reader, context, "Model:LibraryPath", required: false, "a libonnxruntime.so"),
        };
    }
}
