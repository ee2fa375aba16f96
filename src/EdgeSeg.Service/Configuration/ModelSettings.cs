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

    /// <summary>
    /// <c>Model:ReloadFolders</c>: the folders <c>cmd/reload-model</c> may load from, absolute; by default the folder
    /// of <see cref="Path"/>.
    /// </summary>
    public IReadOnlyList<string> ReloadFolders { get; init; } = [];

    /// <summary>
    /// <c>Model:MaxTensorMegabytes</c>: the most the model's input and output tensors may take, estimated at load for
    /// the largest frame (see <c>TensorEstimate</c>); a model (card) over it is refused.
    /// </summary>
    public int MaxTensorMegabytes { get; init; }

    /// <summary>Reads and checks the section.</summary>
    public static ModelSettings Read(ConfigReader reader, SettingsContext context, string stateDirectory)
    {
        reader.OnlyKnown("Model", "Path", "Card", "Providers", "DeviceId", "TensorRt", "IntraOpThreads", "OptimizationLevel", "LibraryPath", "ReloadFolders", "MaxTensorMegabytes");
        reader.OnlyKnown("Model:TensorRt", "CacheDirectory", "Fp16");

        var path = PathRules.ExistingFile(reader, context, "Model:Path", required: true, "an ONNX model");
        var card = PathRules.ExistingFile(reader, context, "Model:Card", required: false, "a model card (JSON)");
        if (path is not null && card is null && reader.Raw("Model:Card") is null)
        {
            // The card beside the model is read at load when it exists: it must not be a FIFO or a device either.
            var beside = System.IO.Path.ChangeExtension(path, ".json");
            if (Native.LibC.KindOf(beside) is not (Native.FileKind.Missing or Native.FileKind.Regular))
            {
                reader.Fail("Model:Path", reader.Raw("Model:Path"), $"its card {PathRules.RegularFileProblem(beside, "a model card (JSON)")}");
            }
        }

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

        // Model:Path failing is reported already; then there is no default folder (and the service does not start).
        var modelFolder = path is null ? null : System.IO.Path.GetDirectoryName(path);
        var reloadFolders = new List<string>();
        foreach (var folder in reader.List("Model:ReloadFolders", modelFolder is null ? [] : [modelFolder]))
        {
            var resolved = folder.StartsWith(SettingsContext.CredentialPrefix, StringComparison.Ordinal) ? null : context.ResolvePath(folder);
            if (resolved is null || File.Exists(resolved))
            {
                reader.Fail("Model:ReloadFolders", folder, "must be a folder path");
            }
            else
            {
                reloadFolders.Add(resolved);
            }
        }

        return new ModelSettings
        {
            Path = path ?? reader.Raw("Model:Path") ?? "",
            ReloadFolders = reloadFolders,
            CardPath = card,
            Providers = normalised.Count == 0 ? KnownProviders : normalised,
            DeviceId = reader.Int("Model:DeviceId", 0, 0, 63),
            TensorRtCacheDirectory = PathRules.Directory(reader, context, "Model:TensorRt:CacheDirectory", System.IO.Path.Combine(stateDirectory, "tensorrt-cache")),
            TensorRtFp16 = reader.Bool("Model:TensorRt:Fp16", true),
            IntraOpThreads = reader.Int("Model:IntraOpThreads", 0, 0, 1024),
            OptimizationLevel = reader.Choice("Model:OptimizationLevel", GraphOptimization.All, Levels),
            MaxTensorMegabytes = reader.Int("Model:MaxTensorMegabytes", 2048, 16, 1 << 20),
            LibraryPath = PathRules.ExistingFile(reader, context, "Model:LibraryPath", required: false, "a libonnxruntime.so"),
        };
    }
}
