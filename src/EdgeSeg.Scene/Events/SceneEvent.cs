namespace EdgeSeg.Scene.Events;

/// <summary>
/// One message about one event: its start, an update while it lasts, or its end. All messages of one event share
/// <see cref="Id"/> and <see cref="StartTime"/>.
/// </summary>
/// <param name="Id">The event's id (a time-ordered UUID, version 7).</param>
/// <param name="Type">What happened.</param>
/// <param name="Phase">Start, update or end.</param>
/// <param name="StartTime">When the start condition first held (the start of the qualifying period).</param>
/// <param name="Timestamp">The timestamp of the frame that produced this message.</param>
/// <param name="EndTime">For an end: when the end condition first held; else null.</param>
/// <param name="Value">
/// The thresholded quantity on this frame: pedestrian fraction of the corridor; proximity of the nearest vehicle
/// (0 when none); lateral offset (signed fraction of lane width, 0 when no lane); road fraction.
/// </param>
/// <param name="Peak">The most severe <see cref="Value"/> since the start (largest; largest in magnitude for lane departure; smallest road fraction).</param>
/// <param name="TimeToContactSeconds">For <see cref="SceneEventType.VehicleClose"/>: the nearest vehicle's time-to-contact on this frame, if closing; else null.</param>
public readonly record struct SceneEvent(
    Guid Id,
    SceneEventType Type,
    SceneEventPhase Phase,
    DateTimeOffset StartTime,
    DateTimeOffset Timestamp,
    DateTimeOffset? EndTime,
    double Value,
    double Peak,
    double? TimeToContactSeconds)
{
    /// <summary>How long the event has lasted: to its end for an end message, else to <see cref="Timestamp"/>.</summary>
    public TimeSpan Duration => (EndTime ?? Timestamp) - StartTime;
}
