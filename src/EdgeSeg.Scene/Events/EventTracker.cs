using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Events;

/// <summary>
/// Turns one source's stream of <see cref="SceneMetrics"/> into events with hysteresis: <c>pedestrian_in_corridor</c>,
/// <c>vehicle_close</c>, <c>lane_departure</c> and <c>camera_obstructed</c>. Create one per source and feed it every
/// frame in order. Not thread-safe; allocation-free.
/// </summary>
public sealed class EventTracker
{
    private readonly EventOptions _options;
    private readonly EventHysteresis _pedestrian;
    private readonly EventHysteresis _vehicle;
    private readonly EventHysteresis _lane;
    private readonly EventHysteresis _obstructed;
    private readonly SceneEvent[] _messages = new SceneEvent[4];
    private int _count;
    private double _departureSide;
    private double _lastDepartureMagnitude;
    private DateTimeOffset? _lastUsableLane;

    /// <summary>Creates a tracker for the source named <paramref name="sourceId"/>.</summary>
    /// <param name="options">Validated options; only <see cref="SceneOptions.Events"/> is used. Must not change afterwards.</param>
    /// <param name="sourceId">The source's id, echoed in the events payload.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public EventTracker(SceneOptions options, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        options.ThrowIfInvalid();
        _options = options.Events;
        SourceId = sourceId;
        _pedestrian = new EventHysteresis(SceneEventType.PedestrianInCorridor, _options.PedestrianInCorridor);
        _vehicle = new EventHysteresis(SceneEventType.VehicleClose, _options.VehicleClose);
        _lane = new EventHysteresis(SceneEventType.LaneDeparture, _options.LaneDeparture, peakByMagnitude: true);
        _obstructed = new EventHysteresis(SceneEventType.CameraObstructed, _options.CameraObstructed, peakIsMinimum: true);
    }

    /// <summary>The source this tracker follows.</summary>
    public string SourceId { get; }

    /// <summary>True while an event of <paramref name="type"/> is active.</summary>
    public bool IsActive(SceneEventType type) => Machine(type).Active;

    /// <summary>
    /// Feeds one frame's metrics and returns the messages (start, update, end; at most one per type) it produces.
    /// The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<SceneEvent> Update(SceneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _count = 0;
        var t = metrics.Timestamp;

        var ped = _options.PedestrianInCorridor;
        var pedFraction = metrics.Corridor.PedestrianFraction;
        Add(_pedestrian.Step(pedFraction >= ped.StartFraction, pedFraction < ped.EndFraction, t, pedFraction, null));

        var veh = _options.VehicleClose;
        var nearest = metrics.NearestVehicle;
        var proximity = nearest.Present ? nearest.Proximity : 0;
        var ttc = nearest.Present ? nearest.TimeToContactSeconds : null;
        var vehicleStart = nearest.Present && (proximity >= veh.StartProximity || ttc <= veh.StartTimeToContactSeconds);
        var vehicleEnd = !nearest.Present || (proximity < veh.EndProximity && (ttc is null || ttc > veh.EndTimeToContactSeconds));
        Add(_vehicle.Step(vehicleStart, vehicleEnd, t, proximity, ttc));

        Add(StepLane(metrics.Lane, t));

        var obs = _options.CameraObstructed;
        var road = metrics.Quality.RoadFraction;
        var confidence = metrics.Quality.MeanConfidence;
        var obstructedStart = road <= obs.StartRoadFraction && (confidence is null || confidence <= obs.StartConfidence);
        var obstructedEnd = road > obs.EndRoadFraction || confidence > obs.EndConfidence;
        Add(_obstructed.Step(obstructedStart, obstructedEnd, t, road, null));
        return _messages.AsSpan(0, _count);
    }

    /// <summary>Ends every active event at <paramref name="timestamp"/> (the source stopped). Valid until the next call.</summary>
    public ReadOnlySpan<SceneEvent> EndAll(DateTimeOffset timestamp)
    {
        _count = 0;
        Add(_pedestrian.Stop(timestamp));
        Add(_vehicle.Stop(timestamp));
        Add(_lane.Stop(timestamp));
        Add(_obstructed.Stop(timestamp));
        return _messages.AsSpan(0, _count);
    }

    private SceneEvent? StepLane(LaneMetrics lane, DateTimeOffset t)
    {
        var dep = _options.LaneDeparture;
        if (lane.LateralOffset is not { } offset || lane.Confidence < dep.MinLaneConfidence)
        {
            // No usable lane (between dashes, a boundary occluded) is no evidence either way for up to EndAfterSeconds
            // after the last usable frame; a lane lost for longer is clear, so a departure cannot outlive its lane.
            if (_lastUsableLane is { } last && (t - last).TotalSeconds <= dep.EndAfterSeconds)
            {
                return _lane.Hold(t, _departureSide * _lastDepartureMagnitude);
            }

            var lost = _lane.Step(startCondition: false, endCondition: true, t, _departureSide * _lastDepartureMagnitude, null);
            _departureSide = _lane.Active ? _departureSide : 0;
            return lost;
        }

        _lastUsableLane = t;

        var magnitude = Math.Abs(offset);
        var start = magnitude >= dep.StartOffset;
        if (!_lane.Active && !start)
        {
            _departureSide = 0;
        }
        else if (_departureSide == 0)
        {
            // The side is the offset's sign when the condition first holds. Crossing the line flips the offset's sign
            // (the lane beyond becomes the lane) but not the side being departed towards.
            _departureSide = offset < 0 ? -1 : 1;
        }

        _lastDepartureMagnitude = magnitude;
        var message = _lane.Step(start, magnitude < dep.EndOffset, t, _departureSide * magnitude, null);
        if (!_lane.Active && !start)
        {
            _departureSide = 0;
        }

        return message;
    }

    private void Add(SceneEvent? message)
    {
        if (message is { } m)
        {
            _messages[_count++] = m;
        }
    }

    private EventHysteresis Machine(SceneEventType type) => type switch
    {
        SceneEventType.PedestrianInCorridor => _pedestrian,
        SceneEventType.VehicleClose => _vehicle,
        SceneEventType.LaneDeparture => _lane,
        SceneEventType.CameraObstructed => _obstructed,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a scene event type."),
    };
}
