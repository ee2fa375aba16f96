using System.Numerics;
using System.Runtime.InteropServices;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Geometry;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Turns appliance-class masks of one source into <see cref="SceneMetrics"/>. Create one per source and feed it that
/// source's frames in order: closing rates are estimated across frames. Not thread-safe. The first frame of a given
/// size builds the zone and corridor rasters and sizes the buffers; after that <see cref="Analyze(Mask, DateTimeOffset, ReadOnlySpan{float})"/>
/// allocates nothing.
/// </summary>
public sealed class SceneAnalyzer
{
    private readonly SceneOptions _options;
    private readonly IReadOnlyList<ZoneOptions> _zones;
    private readonly string[] _zoneNames;
    private readonly SceneMetrics _metrics = new();
    private readonly ComponentLabeller _labeller = new();
    private readonly LaneFitter _lane;
    private readonly ClosingRateEstimator _vehicleRate;
    private readonly ClosingRateEstimator _pedestrianRate;
    private RowSpans[] _zoneSpans = [];
    private int[] _corridorStart = [];
    private int[] _corridorEnd = [];
    private GroundModel? _ground;
    private int _width;
    private int _height;
    private long _frames;

    /// <summary>Creates an analyser. The options are validated and must not be changed afterwards.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public SceneAnalyzer(SceneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options;
        _zones = options.EffectiveZones();
        _zoneNames = [.. _zones.Select(z => z.Name)];
        _lane = new LaneFitter(options.Lane);
        _vehicleRate = new ClosingRateEstimator(options.Proximity);
        _pedestrianRate = new ClosingRateEstimator(options.Proximity);
    }

    /// <summary>The options the analyser was created with.</summary>
    public SceneOptions Options => _options;

    /// <summary>Analyses <paramref name="mask"/>.</summary>
    /// <param name="mask">The frame's mask; read only during the call.</param>
    /// <param name="timestamp">When the frame was captured; used for closing rates and echoed in the metrics.</param>
    /// <param name="confidence">Optional per-pixel confidence (0..1), row-major, one per mask pixel; empty when the segmenter gives none.</param>
    /// <returns>The metrics, owned by this analyser and overwritten by the next call.</returns>
    /// <exception cref="ArgumentException">The confidence map has the wrong length.</exception>
    public SceneMetrics Analyze(Mask mask, DateTimeOffset timestamp, ReadOnlySpan<float> confidence = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Analyze(mask.Pixels, mask.Width, mask.Height, timestamp, confidence);
    }

    /// <summary>Analyses a mask given as <paramref name="width"/> x <paramref name="height"/> class indices, row-major.</summary>
    /// <param name="pixels">Appliance class indices; values of 5 or more are counted as background.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    /// <param name="timestamp">When the frame was captured.</param>
    /// <param name="confidence">Optional per-pixel confidence (0..1); empty when there is none.</param>
    /// <returns>The metrics, owned by this analyser and overwritten by the next call.</returns>
    /// <exception cref="ArgumentException">A size is not positive, or a span has the wrong length.</exception>
    public SceneMetrics Analyze(ReadOnlySpan<byte> pixels, int width, int height, DateTimeOffset timestamp, ReadOnlySpan<float> confidence = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"The mask has {pixels.Length} pixels; {width}x{height} needs {(long)width * height}.", nameof(pixels));
        }

        if (!confidence.IsEmpty && confidence.Length != pixels.Length)
        {
            throw new ArgumentException(
                $"The confidence map has {confidence.Length} values; the {width}x{height} mask needs {pixels.Length} (or none).", nameof(confidence));
        }

        if (width != _width || height != _height)
        {
            Configure(width, height);
        }

        var m = _metrics;
        m.FrameIndex = _frames++;
        m.Timestamp = timestamp;
        m.Width = width;
        m.Height = height;

        var whole = default(ClassCounter.Counts);
        ClassCounter.Accumulate(pixels, ref whole);
        m.Coverage = whole.ToCoverage();

        var zones = m.ZoneStorage(_zoneSpans.Length);
        for (var z = 0; z < _zoneSpans.Length; z++)
        {
            zones[z] = new ZoneCoverage(_zoneNames[z], CountInside(pixels, width, _zoneSpans[z]));
        }

        var corridorCounts = default(ClassCounter.Counts);
        for (var y = 0; y < height; y++)
        {
            if (_corridorEnd[y] > _corridorStart[y])
            {
                ClassCounter.Accumulate(pixels.Slice((y * width) + _corridorStart[y], _corridorEnd[y] - _corridorStart[y]), ref corridorCounts);
            }
        }

        var corridor = corridorCounts.ToCoverage();
        var presence = _options.Corridor.MinPresencePixels;
        m.Corridor = new CorridorMetrics(corridor, corridor.Vehicle >= presence, corridor.Pedestrian >= presence);

        ScanRuns(pixels, width, height);
        _labeller.Finish(_corridorStart, _corridorEnd);
        CollectObjects(m);
        m.NearestVehicle = Nearest(m, ApplianceClass.Vehicle, _vehicleRate, timestamp);
        m.NearestPedestrian = Nearest(m, ApplianceClass.Pedestrian, _pedestrianRate, timestamp);
        m.Lane = _lane.Fit();
        m.Quality = new QualityMetrics(confidence.IsEmpty ? null : Mean(confidence), m.Coverage.DrivableFraction);
        return m;
    }

    private void Configure(int width, int height)
    {
        // Built once per frame size: the only allocations after the first frame of a new size.
        _width = width;
        _height = height;
        _zoneSpans = [.. _zones.Select(z => PolygonRasterizer.Rasterize([.. z.Points], width, height))];
        var c = _options.Corridor;
        var corridor = PolygonRasterizer.Rasterize(
            [
                new(c.CenterX - (c.BottomWidth / 2), c.BottomY),
                new(c.CenterX + (c.BottomWidth / 2), c.BottomY),
                new(c.CenterX + (c.TopWidth / 2), c.TopY),
                new(c.CenterX - (c.TopWidth / 2), c.TopY),
            ],
            width,
            height);
        _corridorStart = new int[height];
        _corridorEnd = new int[height];
        for (var y = 0; y < height; y++)
        {
            // The trapezoid is convex: at most one span per row.
            corridor.Row(y, out var starts, out var ends);
            if (starts.Length > 0)
            {
                _corridorStart[y] = starts[0];
                _corridorEnd[y] = ends[^1];
            }
        }

        _ground = new GroundModel(_options, width, height);
        _lane.Configure(width, height, _ground.HorizonRow);
        _vehicleRate.Reset();
        _pedestrianRate.Reset();
    }

    private static ClassCoverage CountInside(ReadOnlySpan<byte> pixels, int width, RowSpans spans)
    {
        var counts = default(ClassCounter.Counts);
        for (var y = 0; y < spans.Height; y++)
        {
            spans.Row(y, out var starts, out var ends);
            for (var k = 0; k < starts.Length; k++)
            {
                ClassCounter.Accumulate(pixels.Slice((y * width) + starts[k], ends[k] - starts[k]), ref counts);
            }
        }

        return counts.ToCoverage();
    }

    private void ScanRuns(ReadOnlySpan<byte> pixels, int width, int height)
    {
        _labeller.Reset();
        _lane.Reset();
        var laneTop = _lane.RegionTop;
        for (var y = 0; y < height; y++)
        {
            _labeller.StartRow();
            if (y >= laneTop)
            {
                _lane.StartRow(y);
            }

            var row = pixels.Slice(y * width, width);

            // Above the lane region only vehicles and pedestrians matter; the vectorised search skips everything else.
            var hi = y >= laneTop ? (byte)ApplianceClass.LaneMarking : (byte)ApplianceClass.Pedestrian;
            var x = 0;
            while (x < width)
            {
                var found = row[x..].IndexOfAnyInRange((byte)ApplianceClass.Vehicle, hi);
                if (found < 0)
                {
                    break;
                }

                x += found;
                var cls = row[x];
                var length = row[x..].IndexOfAnyExcept(cls);
                var end = length < 0 ? width : x + length;
                if (cls == (byte)ApplianceClass.LaneMarking)
                {
                    _lane.AddRun(x, end);
                }
                else
                {
                    _labeller.AddRun(x, end, y, cls);
                }

                x = end;
            }

            if (y >= laneTop)
            {
                _lane.EndRow();
            }
        }
    }

    private void CollectObjects(SceneMetrics m)
    {
        m.ClearObjects();
        var minArea = _options.MinObjectArea;
        var ground = _ground!;
        foreach (ref readonly var c in _labeller.Components)
        {
            if (c.Area < minArea)
            {
                continue;
            }

            var box = new PixelBox(c.MinX, c.MinY, c.MaxX - c.MinX, c.MaxY - c.MinY + 1);
            m.AddObject(new SceneObject(
                (ApplianceClass)c.Class,
                c.Area,
                box,
                (double)c.SumX / c.Area,
                (double)c.SumY / c.Area,
                (c.BottomX0 + c.BottomX1 - 1) * 0.5,
                c.MaxY,
                c.TouchesCorridor,
                ground.Proximity(c.MaxY + 1)));
        }

        var objects = m.ObjectStorage;
        if (objects.Length > _options.MaxObjects)
        {
            objects.Sort(static (a, b) => b.Area.CompareTo(a.Area));
            m.TruncateObjects(_options.MaxObjects);
            objects = m.ObjectStorage;
        }

        // Nearest first; ties broken by column, then class, so the order is fully determined by the mask.
        objects.Sort(static (a, b) =>
        {
            var byBottom = b.BottomY.CompareTo(a.BottomY);
            if (byBottom != 0)
            {
                return byBottom;
            }

            var byX = a.Box.X.CompareTo(b.Box.X);
            return byX != 0 ? byX : a.Class.CompareTo(b.Class);
        });
    }

    private ProximityMetrics Nearest(SceneMetrics m, ApplianceClass cls, ClosingRateEstimator rate, DateTimeOffset timestamp)
    {
        var objects = m.Objects;
        for (var i = 0; i < objects.Length; i++)
        {
            // Objects are nearest first, so the first in the corridor is the nearest.
            if (objects[i].Class == cls && objects[i].TouchesCorridor)
            {
                var proximity = objects[i].Proximity;
                var (closing, ttc) = rate.Update(proximity, timestamp);
                return new ProximityMetrics(true, i, proximity, _ground!.DistanceMetres(objects[i].BottomY + 1), closing, ttc);
            }
        }

        rate.Reset();
        return ProximityMetrics.None;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var last = values.Length - Vector<float>.Count;
            while (i <= last)
            {
                // Float lanes for speed, flushed to double every 256 vectors: a lane then adds at most 256 values, which
                // bounds its relative rounding error by 256 * 2^-24 (1.5e-5), and typically far less.
                var acc = Vector<float>.Zero;
                for (var k = 0; k < 256 && i <= last; k++, i += Vector<float>.Count)
                {
                    acc += Vector.LoadUnsafe(ref start, (nuint)i);
                }

                total += Vector.Sum(acc);
            }
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return total / values.Length;
    }
}
