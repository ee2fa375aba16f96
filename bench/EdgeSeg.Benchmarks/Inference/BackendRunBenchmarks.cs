using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>
/// Run only, one intra-op thread: the managed-API backend (RunWithBinding over an OrtIoBinding bound to tensors on
/// pinned arrays, ONNX Runtime 1.32) against our former C-API binding (ONNX Runtime 1.30), in one process. Goal on the
/// default model at the sample drive's working size (1x3x240x432): ratio at most 1.02. Goal on both: 0 B allocated.
/// MemoryDiagnoser counts the whole process's allocations, so a 200 ms Run also collects what other threads allocate
/// meanwhile; the sub-millisecond quarter-fixed model spreads that over thousands of Runs and shows the Run's own.
/// </summary>
[MemoryDiagnoser]
public class BackendRunBenchmarks
{
    private IInferenceSession _legacySession = null!;
    private IInferenceBinding _legacy = null!;
    private IInferenceSession _managedSession = null!;
    private IInferenceBinding _managed = null!;

    [Params("default", "quarter-fixed")]
    public string Model { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        var tests = System.IO.Path.GetDirectoryName(BenchModels.Path(Model))!;
        var (model, input, shape) = Model == "default"
            ? (System.IO.Path.Combine(tests, "..", "..", "models", "default.onnx"), "input", new long[] { 1, 3, 240, 432 })
            : (BenchModels.Path(Model), "images", new long[] { 1, 3, 64, 96 });
        var options = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 };
        _legacySession = new OnnxRuntime.Legacy.OnnxRuntimeBackend().Open(model, options);
        _managedSession = new OnnxRuntimeBackend().Open(model, options);
        _legacy = _legacySession.Bind(input, shape, ["logits"]);
        _managed = _managedSession.Bind(input, shape, ["logits"]);
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
