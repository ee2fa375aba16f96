using System.Collections.Concurrent;
using EdgeSeg.Core.Classes;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Serialization;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's post-processing stage: scene metrics and events from each frame's mask, one analyser and event
/// tracker per source (both keep state across that source's frames, which arrive in order). Attaches a pooled
/// <see cref="SceneResult"/>. Frames of the sources in <paramref name="videoFileSources"/> are timed by a
/// <see cref="MediaClock"/> (seconds of video), the others by their capture time; a source in
/// <paramref name="origins"/> has its video's timestamp 0 at the time given there (a recorded drive), the others at their
/// first frame's capture. Called by one pipeline task at a time.
/// </summary>
internal sealed class SceneStage(SceneOptions options, ServiceMetrics metrics, IReadOnlySet<string> videoFileSources,
    IReadOnlyDictionary<string, DateTimeOffset>? origins = null) : IFrameAnalyzer, IDisposable
{
    private readonly Dictionary<string, PerSource> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<SceneResult> _pool = [];

    /// <inheritdoc />
    public ValueTask AnalyzeAsync(Frame frame, CancellationToken cancellationToken)
    {
        if (frame.Result is not SegmentationResult segmentation)
        {
            throw new InvalidOperationException($"Frame {frame.Index} of '{frame.SourceId}' reached scene analysis without a mask.");
        }

        var source = Source(frame.SourceId);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var captured = new DateTimeOffset(frame.CapturedAtUtc);
        var time = source.Clock is { } clock ? clock.Next(captured, frame.StreamTimestampMilliseconds) : captured;
        var sceneMetrics = source.Analyzer.Analyze(segmentation.Mask, time, segmentation.Confidence);
        var events = source.Tracker.Update(sceneMetrics);

        if (!_pool.TryTake(out var result))
        {
            result = new SceneResult();
        }

        result.Reset();
        SceneMetricsJsonWriter.WriteDocument(source.Json(result.MetricsJson), sceneMetrics, frame.SourceId);
        source.FlushJson();
        result.Coverage = sceneMetrics.Coverage;
        result.Figures = SceneFigures.From(sceneMetrics);
        result.Facts = SceneFacts.Of(sceneMetrics);
        result.AddEvents(events);
        frame.Metrics = result;

        source.Latency.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        for (var i = 0; i < source.Coverage.Length; i++)
        {
            source.Coverage[i].Set(sceneMetrics.Coverage.Fraction((ApplianceClass)(i + 1)));
        }

        foreach (var e in events)
        {
            if (e.Phase == SceneEventPhase.Start)
            {
                source.EventCounter(e.Type).Increment();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void OnFrameReleased(Frame frame)
    {
        if (frame.Metrics is SceneResult result)
        {
            frame.Metrics = null;
            _pool.Add(result);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            source.Dispose();
        }
    }

    private PerSource Source(string id)
    {
        if (!_sources.TryGetValue(id, out var source))
        {
            var clock = videoFileSources.Contains(id) ? new MediaClock(origins is not null && origins.TryGetValue(id, out var origin) ? origin : null) : null;
            source = new PerSource(id, options, metrics, clock);
            _sources[id] = source;
        }

        return source;
    }

    private sealed class PerSource : IDisposable
    {
        private readonly Dictionary<SceneEventType, Counter> _events = [];
        private readonly CounterFamily _eventFamily;
        private readonly string _id;
        private System.Text.Json.Utf8JsonWriter? _writer;

        public PerSource(string id, SceneOptions options, ServiceMetrics metrics, MediaClock? clock)
        {
            _id = id;
            Clock = clock;
            Analyzer = new SceneAnalyzer(options);
            Tracker = new EventTracker(options, id);
            Latency = metrics.StageLatency.WithLabels(id, "scene");
            Coverage = [.. ApplianceClasses.All.Skip(1).Select(c => metrics.ClassCoverage.WithLabels(id, c.Name))];
            _eventFamily = metrics.Events;
        }

        public SceneAnalyzer Analyzer { get; }

        public MediaClock? Clock { get; }

        public EventTracker Tracker { get; }

        public Histogram Latency { get; }

        public Gauge[] Coverage { get; }

        public System.Text.Json.Utf8JsonWriter Json(System.Buffers.IBufferWriter<byte> destination)
        {
            // One writer per source, reset onto each frame's buffer: no writer allocated per frame.
            if (_writer is null)
            {
                _writer = new System.Text.Json.Utf8JsonWriter(destination);
            }
            else
            {
                _writer.Reset(destination);
            }

            return _writer;
        }

        public void FlushJson() => _writer?.Flush();

        public void Dispose() => _writer?.Dispose();

        public Counter EventCounter(SceneEventType type)
        {
            if (!_events.TryGetValue(type, out var counter))
            {
                counter = _eventFamily.WithLabels(_id, SceneEventNames.Of(type));
                _events[type] = counter;
            }

            return counter;
        }
    }
}
