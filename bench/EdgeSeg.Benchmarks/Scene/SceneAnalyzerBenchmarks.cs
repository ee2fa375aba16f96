using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;
using EdgeSeg.Scene.Serialization;

namespace EdgeSeg.Benchmarks.Scene;

/// <summary>
/// All scene metrics of one 1280x720 mask (goal: under 2 ms on one core, 0 B allocated), plus the per-frame JSON
/// document and the event tracker. The mask is a synthetic street: road trapezoid, dashed lane lines, vehicles,
/// pedestrians and segmentation speckle, with a confidence map.
/// </summary>
[MemoryDiagnoser]
public class SceneAnalyzerBenchmarks
{
    private const int Width = 1280;
    private const int Height = 720;
    private Mask _mask = null!;
    private float[] _confidence = [];
    private SceneAnalyzer _analyzer = null!;
    private SceneMetrics _metrics = null!;
    private SceneMetricsJsonWriter _json = null!;
    private EventTracker _tracker = null!;
    private long _frame;

    [GlobalSetup]
    public void Setup()
    {
        _mask = new Mask(Width, Height);
        var random = new Random(42);
        for (var y = 330; y < Height; y++)
        {
            // Road widening towards the bottom.
            var half = (int)((y - 330) * 1.7) + 40;
            for (var x = Math.Max(0, 640 - half); x < Math.Min(Width, 640 + half); x++)
            {
                _mask[x, y] = ApplianceClass.Road;
            }

            // Dashed lane lines converging on the horizon, widening with perspective.
            var w = 1 + ((y - 330) / 60);
            if ((y / 40) % 2 == 0 || y > 600)
            {
                Line(y, 640 - (int)((y - 330) * 0.95), w);
                Line(y, 640 + (int)((y - 330) * 0.95), w);
            }
        }

        Rect(520, 380, 640, 470, ApplianceClass.Vehicle);
        Rect(700, 360, 760, 410, ApplianceClass.Vehicle);
        Rect(1000, 340, 1280, 520, ApplianceClass.Vehicle);
        Rect(200, 330, 230, 420, ApplianceClass.Pedestrian);
        Rect(260, 340, 285, 425, ApplianceClass.Pedestrian);
        for (var k = 0; k < 400; k++)
        {
            var x = random.Next(Width - 4);
            var y = random.Next(Height - 4);
            Rect(x, y, x + random.Next(1, 4), y + random.Next(1, 4), (ApplianceClass)random.Next(5));
        }

        _confidence = new float[Width * Height];
        for (var i = 0; i < _confidence.Length; i++)
        {
            _confidence[i] = 0.5f + (0.5f * (float)random.NextDouble());
        }

        var options = new SceneOptions { Calibration = new() };
        _analyzer = new SceneAnalyzer(options);
        _metrics = _analyzer.Analyze(_mask, DateTimeOffset.UnixEpoch, _confidence);
        _json = new SceneMetricsJsonWriter();
        _tracker = new EventTracker(options, "bench");
    }

    [GlobalCleanup]
    public void Cleanup() => _json.Dispose();

    [Benchmark]
    public SceneMetrics Analyze() =>
        _analyzer.Analyze(_mask, DateTimeOffset.UnixEpoch.AddMilliseconds(100 * ++_frame), _confidence);

    [Benchmark]
    public int WriteMetricsJson() => _json.Write(_metrics, "bench").Length;

    [Benchmark]
    public int AnalyzeWriteAndTrack()
    {
        var m = _analyzer.Analyze(_mask, DateTimeOffset.UnixEpoch.AddMilliseconds(100 * ++_frame), _confidence);
        return _json.Write(m, "bench").Length + _tracker.Update(m).Length;
    }

    private void Line(int y, int centre, int width)
    {
        for (var x = centre - (width / 2); x <= centre + (width / 2); x++)
        {
            if ((uint)x < Width)
            {
                _mask[x, y] = ApplianceClass.LaneMarking;
            }
        }
    }

    private void Rect(int x0, int y0, int x1, int y1, ApplianceClass cls)
    {
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                _mask[x, y] = cls;
            }
        }
    }
}
