using EdgeSeg.Scene.Events;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// One scene event as the live page lists it: its start, its latest value and peak, and its end once it ended. The
/// start, update and end messages of one event (same <see cref="Id"/>) fold into one entry.
/// </summary>
/// <param name="Id">The event's id.</param>
/// <param name="Type">What happened.</param>
/// <param name="Start">When its condition began.</param>
/// <param name="End">When its end condition began; null while it lasts.</param>
/// <param name="LastSeen">The timestamp of its latest message.</param>
/// <param name="Value">The thresholded quantity on its latest message.</param>
/// <param name="Peak">The most severe value since its start.</param>
/// <param name="TimeToContactSeconds">For a vehicle that is close: its time-to-contact on the latest message, if closing.</param>
internal readonly record struct LiveEvent(
    Guid Id,
    SceneEventType Type,
    DateTimeOffset Start,
    DateTimeOffset? End,
    DateTimeOffset LastSeen,
    double Value,
    double Peak,
    double? TimeToContactSeconds)
{
    /// <summary>The entry for an event's first message.</summary>
    public static LiveEvent From(in SceneEvent message) => new(message.Id, message.Type, message.StartTime, message.EndTime,
        message.Timestamp, message.Value, message.Peak, message.TimeToContactSeconds);

    /// <summary>How long it lasted (to its end) or has lasted so far (to its latest message).</summary>
    public TimeSpan Duration => (End ?? LastSeen) - Start;
}
