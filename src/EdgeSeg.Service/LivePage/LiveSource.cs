using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Appliance;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// One source's latest figures for the live page: the last frame's scene figures, its capture-to-publish latency and
/// the last <see cref="EventCapacity"/> events. Written once per frame by the pipeline's publishing task (a short lock
/// and a struct copy: no allocation, no waiting on readers), read on request by the page's endpoints.
/// </summary>
internal sealed class LiveSource(string id)
{
    /// <summary>Events kept per source.</summary>
    public const int EventCapacity = 8;

    // Weight of the newest frame in the smoothed latency: about a 10-frame memory.
    private const double LatencyWeight = 0.1;
    private readonly Lock _gate = new();
    private readonly LiveEvent[] _events = new LiveEvent[EventCapacity];
    private int _eventCount;
    private int _nextEvent;
    private SceneFigures _figures;
    private bool _hasFigures;
    private double _latency;
    private double _meanLatency;

    /// <summary>The source id.</summary>
    public string Id => id;

    /// <summary>Records a published frame: its figures, its capture-to-publish time and the event messages it produced.</summary>
    public void Update(in SceneFigures figures, double latencySeconds, IReadOnlyList<SceneEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            _meanLatency = _hasFigures ? _meanLatency + (LatencyWeight * (latencySeconds - _meanLatency)) : latencySeconds;
            _figures = figures;
            _latency = latencySeconds;
            _hasFigures = true;
            for (var i = 0; i < events.Count; i++)
            {
                Record(events[i]);
            }
        }
    }

    /// <summary>A consistent copy of the figures (allocates: for the request path, not the frame path).</summary>
    public LiveSourceReading Read()
    {
        lock (_gate)
        {
            var events = new LiveEvent[_eventCount];
            for (var i = 0; i < _eventCount; i++)
            {
                events[i] = _events[(_nextEvent - 1 - i + EventCapacity) % EventCapacity];
            }

            return _hasFigures
                ? new LiveSourceReading(_figures, _latency, _meanLatency, events)
                : new LiveSourceReading(null, null, null, events);
        }
    }

    private void Record(in SceneEvent message)
    {
        if (message.Phase != SceneEventPhase.Start)
        {
            for (var i = 0; i < _eventCount; i++)
            {
                ref var kept = ref _events[(_nextEvent - 1 - i + EventCapacity) % EventCapacity];
                if (kept.Id == message.Id)
                {
                    kept = kept with { End = message.EndTime, LastSeen = message.Timestamp, Value = message.Value, Peak = message.Peak, TimeToContactSeconds = message.TimeToContactSeconds };
                    return;
                }
            }

            // Its start has left the list (more than EventCapacity newer events since): listed anew below.
        }

        _events[_nextEvent] = LiveEvent.From(message);
        _nextEvent = (_nextEvent + 1) % EventCapacity;
        _eventCount = Math.Min(_eventCount + 1, EventCapacity);
    }
}
