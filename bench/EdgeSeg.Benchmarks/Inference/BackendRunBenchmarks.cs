using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>
/// Run only, on the default model at the sample drive's working size (1x3x240x432), one intra-op thread: the
/// managed-API backend (RunWithBinding over an OrtIoBinding bound to tensors on pinned arrays, ONNX Runtime 1.32)
/// against our former C-API binding (ONNX Runtime 1.30), in one process. Goal: ratio at most 1.02 and 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class BackendRunBenchmarks
{
    private IInferenceSession _legacySession = null!;
    private IInferenceBinding _legacy = null!;
    private IInferenceSession _managedSession = null!;
    private IInferenceBinding _managed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(BenchModels.Path("x"))!)!, "..", "models", "default.onnx");
        var options = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 };
        _legacySession = new OnnxRuntime.Legacy.OnnxRuntimeBackend().Open(model, options);
        _managedSession = new OnnxRuntimeBackend().Open(model, options);
        _legacy = _legacySession.Bind("input", [1, 3, 240, 432], ["logits"]);
        _managed = _managedSession.Bind("input", [1, 3, 240, 432], ["logits"]);
        var random = new Random(7);
        for (var i = 0; i < _managed.InputFloat.Length; i++)
        {
            _managed.InputFloat[i] = _legacy.InputFloat[i] = (float)((random.NextDouble() * 4) - 2);
        }

        _legacy.Run();
        _managed.Run();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _legacy.Dispose();
        _managed.Dispose();
        _legacySession.Dispose();
        _managedSession.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void LegacyCApiRun() => _legacy.Run();

    [Benchmark]
    public void ManagedApiRun() => _managed.Run();
}
