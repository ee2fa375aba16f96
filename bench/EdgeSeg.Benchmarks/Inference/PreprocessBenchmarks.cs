using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>A 1280x720 BGR frame to a 3x360x640 normalised RGB tensor (goal: under 3 ms on one core, 0 B allocated).</summary>
[MemoryDiagnoser]
public class PreprocessBenchmarks
{
    private byte[] _frame = [];
    private float[] _tensor = [];
    private PreprocessPlan _plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[1280 * 720 * 3];
        new Random(1).NextBytes(_frame);
        var input = new ModelCardInput { Name = "images", Width = 640, Height = 360, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };
        _plan = new PreprocessPlan(input, InputGeometry.For(input, 1280, 720));
        _tensor = new float[_plan.TensorLength];
    }

    [Benchmark(Baseline = true)]
    public void Simd() => Preprocess.Run(_frame, _tensor, _plan);

    [Benchmark]
    public void Scalar() => Preprocess.Run(_frame, _tensor, _plan, allowSimd: false);
}
