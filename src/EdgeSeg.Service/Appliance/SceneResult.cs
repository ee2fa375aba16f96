using System.Buffers;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// What the scene stage attaches to a frame (<c>Frame.Metrics</c>): the frame's metrics as the JSON document the
/// <c>metrics</c> stream publishes, its class coverage, and the event messages the frame produced. The analyser's own
/// metrics object is overwritten by the next frame, so the stage copies out what later stages need. Pooled by
/// <see cref="SceneStage"/>: valid only while the frame is rented.
/// </summary>
internal sealed class SceneResult
{
    private readonly List<SceneEvent> _events = [];

    /// <summary>The metrics JSON (UTF-8), the <c>metrics</c> payload.</summary>
    public ArrayBufferWriter<byte> MetricsJson { get; } = new(4096);

    /// <summary>Pixel counts per class.</summary>
    public ClassCoverage Coverage { get; set; }

    /// <summary>The frame's scalar scene figures (coverage, corridor, lane, nearest objects) for the live page.</summary>
    public SceneFigures Figures { get; set; }

    /// <summary>The few figures a trip report follows over time (<c>edgeseg process</c>).</summary>
    public SceneFacts Facts { get; set; }

    /// <summary>Event messages (start, update, end) this frame produced, in order.</summary>
    public IReadOnlyList<SceneEvent> Events => _events;

    /// <summary>Clears for reuse.</summary>
    public void Reset()
    {
        MetricsJson.ResetWrittenCount();
        _events.Clear();
        Coverage = default;
        Figures = default;
        Facts = default;
    }

    /// <summary>Adds the frame's event messages.</summary>
    public void AddEvents(ReadOnlySpan<SceneEvent> events)
    {
        foreach (var e in events)
        {
            _events.Add(e);
        }
    }
}
