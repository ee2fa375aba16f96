using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Evaluation;

namespace EdgeSeg.Benchmarks.Core;

/// <summary>
/// Confusion-matrix accumulation of a 1920x1080 mask pair against the floor of reading both buffers once.
/// The ratio Accumulate / ReadBothBuffers is the figure docs/PERFORMANCE.md records (goal: within 3x, 0 B).
/// </summary>
[MemoryDiagnoser]
public class ConfusionMatrixBenchmarks
{
    private const int Width = 1920;
    private const int Height = 1080;
    private byte[] _truth = [];
    private byte[] _predicted = [];
    private ConfusionMatrix _matrix = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Blocky, realistic masks: classes in horizontal bands with noise, 5 appliance classes, some ignore pixels.
        var random = new Random(42);
        _truth = new byte[Width * Height];
        _predicted = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var cls = (byte)((y * 5 / Height + (x / 300)) % 5);
                var i = (y * Width) + x;
                _truth[i] = random.Next(100) == 0 ? (byte)255 : cls;
                _predicted[i] = random.Next(10) == 0 ? (byte)random.Next(5) : cls;
            }
        }

        _matrix = new ConfusionMatrix(5);
    }

    [Benchmark(Baseline = true)]
    public ulong ReadBothBuffers()
    {
        // The memory-bandwidth floor: one vectorised pass over both buffers.
        var a = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(_truth);
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(_predicted);
        var acc = System.Numerics.Vector<ulong>.Zero;
        var n = System.Numerics.Vector<ulong>.Count;
        for (var i = 0; i + n <= a.Length; i += n)
        {
            acc += new System.Numerics.Vector<ulong>(a[i..]) ^ new System.Numerics.Vector<ulong>(b[i..]);
        }

        return System.Numerics.Vector.Sum(acc);
    }

    [Benchmark]
    public long Accumulate()
    {
        _matrix.Reset();
        _matrix.Accumulate(_truth, _predicted, Width);
        return _matrix.Total;
    }
}
