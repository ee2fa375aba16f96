using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>
/// End to end on a still 640x360 frame with the 3x360x640 -> 5x90x160 test models (a light one and a heavier one),
/// one intra-op thread: the segmenter (pre-process, Run, upsample and arg-max) against ONNX Runtime's Run alone on a
/// filled tensor (goal: within 10%; the segmenter adds a fixed cost, so the ratio depends on the model's weight).
/// </summary>
[MemoryDiagnoser]
public class SegmenterBenchmarks
{
    private Segmenter _segmenter = null!;
    private IInferenceSession _session = null!;
    private IInferenceBinding _binding = null!;
    private ImageBuffer _frame = null!;
    private Mask _mask = null!;

    [Params("bench-640x360", "bench-heavy-640x360")]
    public string Model { get; set; } = "bench-640x360";

    [GlobalSetup]
    public void Setup()
    {
        var options = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 };
        var model = BenchModels.Path(Model);
        _segmenter = OnnxRuntimeBackend.OpenSegmenter(model, null, new SegmenterOptions { Inference = options });
        _session = new OnnxRuntimeBackend().Open(model, options);
        _binding = _session.Bind("images", [1, 3, 360, 640], ["logits"]);
        _frame = new ImageBuffer(640, 360, 3);
        new Random(7).NextBytes(_frame.Data);
        _mask = new Mask(640, 360);
        Preprocess.Run(_frame.Pixels, _binding.InputFloat, new PreprocessPlan(_segmenter.Card.Input, InputGeometry.For(_segmenter.Card.Input, 640, 360)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _binding.Dispose();
        _session.Dispose();
        _segmenter.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OrtRun() => _binding.Run();

    [Benchmark]
    public void Segment() => _segmenter.Segment(_frame, _mask);
}
