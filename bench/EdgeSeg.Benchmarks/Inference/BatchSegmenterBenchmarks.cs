using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;

namespace EdgeSeg.Benchmarks.Inference;

/// <summary>
/// Four different 640x360 frames through the segmenter: four <see cref="Segmenter.Segment"/> calls on
/// <c>bench-640x360</c> (batch 1) against one <see cref="Segmenter.SegmentBatch"/> of four on
/// <c>bench-batch-640x360</c> (the same weights with a dynamic batch dimension), one intra-op thread. Both allocate
/// nothing per call after warm-up. The minimum column is the uncontended cost on a shared machine.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class BatchSegmenterBenchmarks
{
    private const int Count = 4;
    private Segmenter _single = null!;
    private Segmenter _batched = null!;
    private ImageBuffer[] _frames = null!;
    private Mask[] _masks = null!;

    [GlobalSetup]
    public void Setup()
    {
        _single = Open("bench-640x360", 1);
        _batched = Open("bench-batch-640x360", Count);
        var random = new Random(7);
        _frames = [.. Enumerable.Range(0, Count).Select(_ => new ImageBuffer(640, 360, 3))];
        foreach (var frame in _frames)
        {
            random.NextBytes(frame.Data);
        }

        _masks = [.. Enumerable.Range(0, Count).Select(_ => new Mask(640, 360))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _single.Dispose();
        _batched.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void FourSingleCalls()
    {
        for (var i = 0; i < Count; i++)
        {
            _single.Segment(_frames[i], _masks[i]);
        }
    }

    [Benchmark]
    public void OneBatchOfFour() => _batched.SegmentBatch(_frames, _masks);

    private static Segmenter Open(string model, int batch) => OnnxRuntimeBackend.OpenSegmenter(
        BenchModels.Path(model),
        null,
        new SegmenterOptions { MaxBatchSize = batch, Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 } });
}
