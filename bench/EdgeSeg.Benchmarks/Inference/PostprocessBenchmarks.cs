using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>5x90x160 logits to a 1280x720 appliance mask (goal: under 3 ms on one core, 0 B allocated).</summary>
[MemoryDiagnoser]
public class PostprocessBenchmarks
{
    private float[] _logits = [];
    private byte[] _mask = [];
    private float[] _confidence = [];
    private PostprocessPlan _plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Smooth fields, like real logits, so the arg-max makes regions rather than noise.
        _logits = new float[5 * 90 * 160];
        for (var c = 0; c < 5; c++)
        {
            for (var y = 0; y < 90; y++)
            {
                for (var x = 0; x < 160; x++)
                {
                    _logits[(((c * 90) + y) * 160) + x] = (float)(Math.Sin((x * 0.05 * (c + 1)) + (y * 0.07)) * 3);
                }
            }
        }

        var input = new ModelCardInput { Name = "images", Width = 640, Height = 360 };
        _plan = new PostprocessPlan(InputGeometry.For(input, 1280, 720), 5, 90, 160, [.. Enumerable.Range(0, 256).Select(i => (byte)(i % 5))]);
        _mask = new byte[1280 * 720];
        _confidence = new float[1280 * 720];
    }

    [Benchmark(Baseline = true)]
    public void Bilinear() => Postprocess.ScoresBilinear(_logits, _plan, _mask, [], probabilities: false);

    [Benchmark]
    public void BilinearWithConfidence() => Postprocess.ScoresBilinear(_logits, _plan, _mask, _confidence, probabilities: false);

    [Benchmark]
    public void BilinearScalar() => Postprocess.ScoresBilinear(_logits, _plan, _mask, [], probabilities: false, allowSimd: false);

    [Benchmark]
    public void Fast() => Postprocess.ScoresFast(_logits, _plan, _mask, [], probabilities: false);
}
