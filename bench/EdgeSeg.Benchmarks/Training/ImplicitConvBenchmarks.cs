using BenchmarkDotNet.Attributes;
using EdgeSeg.Training.Kernels;

namespace EdgeSeg.Benchmarks.Training;

/// <summary>
/// A 3x3 convolution (stride 1, padding 1) of one image as GEMM, the way <c>Ops.Conv2d</c> runs it (implicit: B packed
/// straight from the image) and the way it ran before (the im2col matrix written, then multiplied), for the forward
/// product Y = W * cols and the weight gradient dW = dY * cols^T. GFLOP/s = 2 * outChannels * H*W * 9c / time.
/// </summary>
[MemoryDiagnoser]
public class ImplicitConvBenchmarks
{
    private const int OutChannels = 64;

    private float[] _image = [];
    private float[] _weight = [];
    private float[] _gradOut = [];
    private float[] _output = [];
    private float[] _gradWeight = [];
    private float[] _columns = [];
    private ConvColumns _geometry;

    /// <summary>Input channels x size x size (the U-Net's first level at 256x256 is 32 x 256).</summary>
    [Params("32x256", "256x64")]
    public string Input { get; set; } = "32x256";

    private (int Channels, int Size) Dims
    {
        get
        {
            var p = Input.Split('x').Select(int.Parse).ToArray();
            return (p[0], p[1]);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var (c, s) = Dims;
        _geometry = new ConvColumns(c, s, s, 3, 3, 1, 1, 1);
        var rng = new Random(1);
        _image = Enumerable.Range(0, _geometry.ImageLength).Select(_ => rng.NextSingle()).ToArray();
        _weight = Enumerable.Range(0, OutChannels * _geometry.Rows).Select(_ => rng.NextSingle()).ToArray();
        _gradOut = Enumerable.Range(0, OutChannels * _geometry.Columns).Select(_ => rng.NextSingle()).ToArray();
        _output = new float[OutChannels * _geometry.Columns];
        _gradWeight = new float[OutChannels * _geometry.Rows];
        _columns = new float[_geometry.Rows * _geometry.Columns];
    }

    [Benchmark]
    public void ForwardImplicit()
        => Sgemm.Multiply(false, false, OutChannels, _geometry.Columns, _geometry.Rows, _weight, _geometry.Rows, _image, _geometry, _output, _geometry.Columns, false);

    [Benchmark(Baseline = true)]
    public void ForwardIm2Col()
    {
        var (c, s) = Dims;
        Im2Col.Forward(_image, 0, c, s, s, 3, 3, 1, 1, 1, _columns);
        Sgemm.Multiply(false, false, OutChannels, _geometry.Columns, _geometry.Rows, _weight, _geometry.Rows, _columns, _geometry.Columns, _output, _geometry.Columns, false);
    }

    [Benchmark]
    public void WeightGradientImplicit()
        => Sgemm.Multiply(false, true, OutChannels, _geometry.Rows, _geometry.Columns, _gradOut, _geometry.Columns, _image, _geometry, _gradWeight, _geometry.Rows, false);

    [Benchmark]
    public void WeightGradientIm2Col()
    {
        var (c, s) = Dims;
        Im2Col.Forward(_image, 0, c, s, s, 3, 3, 1, 1, 1, _columns);
        Sgemm.Multiply(false, true, OutChannels, _geometry.Rows, _geometry.Columns, _gradOut, _geometry.Columns, _columns, _geometry.Columns, _gradWeight, _geometry.Rows, false);
    }
}
