using System.Numerics;
using System.Runtime.InteropServices;
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

    /// <summary>How the mask pair is made.</summary>
    public enum MaskStructure
    {
        /// <summary>A road scene (sky, road trapezoid, lanes, vehicles, pedestrians, ignored bonnet); the prediction
        /// is the same scene with every boundary a few pixels off: what a good model's errors look like.</summary>
        Scene,

        /// <summary>Worst case: 10% of predictions replaced by uniform noise spread over every pixel.</summary>
        Noise,
    }

    [Params(MaskStructure.Scene, MaskStructure.Noise)]
    public MaskStructure Structure { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _truth = new byte[Width * Height];
        _predicted = new byte[Width * Height];
        DrawScene(_truth, 0, 0, isTruth: true);
        if (Structure == MaskStructure.Scene)
        {
            DrawScene(_predicted, 3, 2, isTruth: false);
        }
        else
        {
            var random = new Random(42);
            _truth.CopyTo(_predicted, 0);
            for (var i = 0; i < _predicted.Length; i++)
            {
                if (_predicted[i] == 255 || random.Next(10) == 0)
                {
                    _predicted[i] = (byte)random.Next(5);
                }
            }
        }

        _matrix = new ConfusionMatrix(5);
    }

    [Benchmark(Baseline = true)]
    public ulong ReadBothBuffers()
    {
        // The memory-bandwidth floor: one vectorised pass over both buffers.
        var a = MemoryMarshal.Cast<byte, ulong>(_truth);
        var b = MemoryMarshal.Cast<byte, ulong>(_predicted);
        var acc = Vector<ulong>.Zero;
        var n = Vector<ulong>.Count;
        for (var i = 0; i + n <= a.Length; i += n)
        {
            acc += new Vector<ulong>(a[i..]) ^ new Vector<ulong>(b[i..]);
        }

        return Vector.Sum(acc);
    }

    [Benchmark]
    public long Accumulate()
    {
        _matrix.Reset();
        _matrix.Accumulate(_truth, _predicted, Width);
        return _matrix.Total;
    }

    // A dashcam-like layout; (dx, dy) shifts every boundary to imitate a prediction's edge errors.
    private static void DrawScene(byte[] mask, int dx, int dy, bool isTruth)
    {
        var horizon = (Height * 45 / 100) + dy;
        for (var y = 0; y < Height; y++)
        {
            var row = mask.AsSpan(y * Width, Width);
            row.Clear();
            if (y >= Height - 60)
            {
                row.Fill(isTruth ? (byte)255 : (byte)0); // the bonnet: ignored in the truth, background to a model
                continue;
            }

            if (y < horizon)
            {
                continue;
            }

            var depth = (double)(y - horizon) / (Height - horizon);
            var half = (int)(80 + (depth * 900));
            var centre = (Width / 2) + dx;
            Fill(row, centre - half, centre + half, 1);
            foreach (var lane in new[] { -0.33, 0.33 })
            {
                var x = centre + (int)(lane * half * 2 / 1.0);
                var w = 2 + (int)(depth * 14);
                if (((y / 40) % 2) == 0)
                {
                    Fill(row, x - w, x + w, 4);
                }
            }
        }

        Rect(mask, 700 + dx, 560 + dy, 220, 150, 2);
        Rect(mask, 1150 + dx, 520 + dy, 120, 90, 2);
        Rect(mask, 300 + dx, 600 + dy, 30, 90, 3);
        Rect(mask, 1500 + dx, 580 + dy, 26, 80, 3);
    }

    private static void Fill(Span<byte> row, int from, int to, byte value) =>
        row[Math.Clamp(from, 0, Width)..Math.Clamp(to, 0, Width)].Fill(value);

    private static void Rect(byte[] mask, int x, int y, int w, int h, byte value)
    {
        for (var r = y; r < y + h; r++)
        {
            Fill(mask.AsSpan(r * Width, Width), x, x + w, value);
        }
    }
}
