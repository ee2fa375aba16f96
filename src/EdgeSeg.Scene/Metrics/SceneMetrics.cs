namespace EdgeSeg.Scene.Metrics;

/// <summary>
/// Everything derived from one mask. Owned by the <see cref="Analysis.SceneAnalyzer"/> that produced it and
/// overwritten by its next <c>Analyze</c> call: read or serialise it before then, and
/// copy what must outlive the frame.
/// </summary>
public sealed class SceneMetrics
{
    private ZoneCoverage[] _zones = [];
    private SceneObject[] _objects = new SceneObject[16];
    private int _zoneCount;
    private int _objectCount;

    internal SceneMetrics()
    {
    }

    /// <summary>Frames analysed by the owning analyser before this one (0 for the first).</summary>
    public long FrameIndex { get; internal set; }

    /// <summary>The frame's timestamp as given to the analyser.</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>Mask width in pixels.</summary>
    public int Width { get; internal set; }

    /// <summary>Mask height in pixels.</summary>
    public int Height { get; internal set; }

    /// <summary>Pixel counts per class over the whole frame.</summary>
    public ClassCoverage Coverage { get; internal set; }

    /// <summary>Coverage per configured zone, in configuration order. Valid until the next analysis.</summary>
    public ReadOnlySpan<ZoneCoverage> Zones => _zones.AsSpan(0, _zoneCount);

    /// <summary>The ego corridor.</summary>
    public CorridorMetrics Corridor { get; internal set; }

    /// <summary>Vehicle and pedestrian objects, nearest (lowest bottom edge) first. Valid until the next analysis.</summary>
    public ReadOnlySpan<SceneObject> Objects => _objects.AsSpan(0, _objectCount);

    /// <summary>The nearest vehicle in the corridor.</summary>
    public ProximityMetrics NearestVehicle { get; internal set; }

    /// <summary>The nearest pedestrian in the corridor.</summary>
    public ProximityMetrics NearestPedestrian { get; internal set; }

    /// <summary>Lane position.</summary>
    public LaneMetrics Lane { get; internal set; }

    /// <summary>Frame quality.</summary>
    public QualityMetrics Quality { get; internal set; }

    internal Span<ZoneCoverage> ZoneStorage(int count)
    {
        if (_zones.Length != count)
        {
            _zones = new ZoneCoverage[count];
        }

        _zoneCount = count;
        return _zones;
    }

    internal void ClearObjects() => _objectCount = 0;

    internal void AddObject(in SceneObject obj)
    {
        if (_objectCount == _objects.Length)
        {
            // Grows during warm-up only: the capacity settles at the largest object count seen (capped by MaxObjects).
            Array.Resize(ref _objects, _objects.Length * 2);
        }

        _objects[_objectCount++] = obj;
    }

    internal void TruncateObjects(int count) => _objectCount = Math.Min(_objectCount, count);

    internal Span<SceneObject> ObjectStorage => _objects.AsSpan(0, _objectCount);
}
