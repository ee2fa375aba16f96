using EdgeSeg.Scene.Configuration;

namespace EdgeSeg.Scene.Events;

/// <summary>
/// The life cycle of one event type: a start condition that must hold for a time and a number of frames, an end
/// condition that must hold for a time, and periodic updates in between.
/// </summary>
internal sealed class EventHysteresis
{
    private readonly SceneEventType _type;
    private readonly EventTimingOptions _timing;
    private readonly bool _peakIsMinimum;
    private readonly bool _peakByMagnitude;
    private int _pendingFrames;
    private DateTimeOffset _pendingSince;
    private bool _clearing;
    private DateTimeOffset _clearSince;
    private Guid _id;
    private DateTimeOffset _start;
    private DateTimeOffset _lastMessage;
    private double _peak;
    private double _pendingPeak;

    public EventHysteresis(SceneEventType type, EventTimingOptions timing, bool peakIsMinimum = false, bool peakByMagnitude = false)
    {
        _type = type;
        _timing = timing;
        _peakIsMinimum = peakIsMinimum;
        _peakByMagnitude = peakByMagnitude;
    }

    public bool Active { get; private set; }

    /// <summary>Advances one frame; returns the message this frame produces, if any.</summary>
    /// <param name="startCondition">The start threshold is crossed on this frame.</param>
    /// <param name="endCondition">The end threshold is crossed on this frame (checked only while active).</param>
    /// <param name="t">The frame's timestamp.</param>
    /// <param name="value">The thresholded quantity on this frame.</param>
    /// <param name="ttc">Time-to-contact to report, if any.</param>
    public SceneEvent? Step(bool startCondition, bool endCondition, DateTimeOffset t, double value, double? ttc)
    {
        if (!_timing.Enabled)
        {
            return null;
        }

        if (!Active)
        {
            if (!startCondition)
            {
                _pendingFrames = 0;
                return null;
            }

            if (_pendingFrames++ == 0)
            {
                _pendingSince = t;
                _pendingPeak = value;
            }
            else if (MoreSevere(value, _pendingPeak))
            {
                _pendingPeak = value;
            }

            if (_pendingFrames < _timing.MinFrames || (t - _pendingSince).TotalSeconds < _timing.StartAfterSeconds)
            {
                return null;
            }

            Active = true;
            _pendingFrames = 0;
            _clearing = false;
            _id = Guid.CreateVersion7(_pendingSince);
            _start = _pendingSince;
            _lastMessage = t;

            // The peak covers the event from its start time, which is when the condition began to hold.
            _peak = _pendingPeak;
            return new SceneEvent(_id, _type, SceneEventPhase.Start, _start, t, null, value, _peak, ttc);
        }

        if (endCondition)
        {
            if (!_clearing)
            {
                _clearing = true;
                _clearSince = t;
            }

            if ((t - _clearSince).TotalSeconds >= _timing.EndAfterSeconds)
            {
                return End(t, _clearSince, value, ttc);
            }
        }
        else
        {
            _clearing = false;
            if (MoreSevere(value, _peak))
            {
                _peak = value;
            }
        }

        if ((t - _lastMessage).TotalSeconds >= _timing.UpdateIntervalSeconds)
        {
            _lastMessage = t;
            return new SceneEvent(_id, _type, SceneEventPhase.Update, _start, t, null, value, _peak, ttc);
        }

        return null;
    }

    /// <summary>
    /// Advances one frame that is no evidence either way: a pending start neither advances nor resets, an active event
    /// neither clears nor stops clearing, and periodic updates continue with <paramref name="value"/>.
    /// </summary>
    public SceneEvent? Hold(DateTimeOffset t, double value)
    {
        if (!_timing.Enabled || !Active || (t - _lastMessage).TotalSeconds < _timing.UpdateIntervalSeconds)
        {
            return null;
        }

        _lastMessage = t;
        return new SceneEvent(_id, _type, SceneEventPhase.Update, _start, t, null, value, _peak, null);
    }

    /// <summary>Ends the event now if active (the stream stopped).</summary>
    public SceneEvent? Stop(DateTimeOffset t)
    {
        _pendingFrames = 0;
        return Active ? End(t, t, 0, null) : null;
    }

    private SceneEvent End(DateTimeOffset t, DateTimeOffset endTime, double value, double? ttc)
    {
        Active = false;
        _clearing = false;
        _pendingFrames = 0;
        return new SceneEvent(_id, _type, SceneEventPhase.End, _start, t, endTime, value, _peak, ttc);
    }

    private bool MoreSevere(double value, double peak) =>
        _peakIsMinimum ? value < peak : _peakByMagnitude ? Math.Abs(value) > Math.Abs(peak) : value > peak;
}
