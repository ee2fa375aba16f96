using BenchmarkDotNet.Attributes;
using EdgeSeg.Training.Kernels;

namespace EdgeSeg.Benchmarks.Training;

/// <summary>
/// The engine's packed SGEMM on shapes a U-Net's convolutions produce (C[o x HW] = W[o x 9c] * cols[9c x HW]) and a
/// square one. GFLOP/s = 2*M*N*K / time; docs/PERFORMANCE.md compares it with the peak `edgeseg-train bench` measures.
/// </summary>
[MemoryDiagnoser]
public class SgemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    /// <summary>M x N x K.</summary>
    [Params("512x512x512", "32x65536x288", "256x1024x2304")]
    public string Shape { get; set; } = "512x512x512";

    private (int M, int N, int K) Dims
    {
        get
        {
            var p = Shape.Split('x').Select(int.Parse).ToArray();
            return (p[0], p[1], p[2]);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var (m, n, k) = Dims;
        var rng = new Random(1);
        _a = Enumerable.Range(0, m * k).Select(_ => rng.NextSingle()).ToArray();
        _b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle()).ToArray();
        _c = new float[m * n];
    }

    [Benchmark]
    public void Multiply()
    {
        var (m, n, k) = Dims;
        Sgemm.Multiply(false, false, m, n, k, _a, k, _b, n, _c, n, false);
    }
}
