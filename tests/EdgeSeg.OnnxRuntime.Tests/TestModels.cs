using EdgeSeg.Core.Segmentation;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>The committed test models (tests/models, made by make_models.py).</summary>
internal static class TestModels
{
    public static string Path(string name) => RepoPaths.InRepo("tests", "models", name + ".onnx");

    public static string CardPath(string name) => RepoPaths.InRepo("tests", "models", name + ".json");

    /// <summary>CPU only, one thread: tests share two cores.</summary>
    public static SegmenterOptions CpuOptions(UpsampleMode mode = UpsampleMode.Bilinear, Action<string>? log = null) => new()
    {
        Upsample = mode,
        Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1, Log = log },
    };

    public static Segmenter Open(string name, UpsampleMode mode = UpsampleMode.Bilinear) =>
        OnnxRuntimeBackend.OpenSegmenter(Path(name), null, CpuOptions(mode));
}
