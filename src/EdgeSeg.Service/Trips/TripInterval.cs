using EdgeSeg.Scene.Events;

namespace EdgeSeg.Service.Trips;

/// <summary>One event over its whole life: from its start time to its end time (or the trip's end when it never ended).</summary>
/// <param name="Id">The event's id.</param>
/// <param name="Type">Its type.</param>
/// <param name="Start">When its start condition first held.</param>
/// <param name="End">When its end condition first held, or the trip's end.</param>
/// <param name="Ended">False when the trip ended first.</param>
/// <param name="StartValue">The value on its start message (for a lane departure: negative left, positive right).</param>
/// <param name="Peak">Its most severe value.</param>
internal readonly record struct TripInterval(Guid Id, SceneEventType Type, DateTimeOffset Start, DateTimeOffset End, bool Ended, double StartValue, double Peak)
{
    /// <summary>How long it lasted.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>Each event of <paramref name="messages"/> (start, update, end messages in order) as one interval, in start order.</summary>
    public static IReadOnlyList<TripInterval> FromMessages(IEnumerable<SceneEvent> messages, DateTimeOffset tripEnd)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var open = new Dictionary<Guid, TripInterval>();
        var done = new List<TripInterval>();
        foreach (var m in messages)
        {
            switch (m.Phase)
            {
                case SceneEventPhase.Start:
                    open[m.Id] = new TripInterval(m.Id, m.Type, m.StartTime, tripEnd, false, m.Value, m.Peak);
                    break;
                case SceneEventPhase.End when open.Remove(m.Id, out var started):
                    done.Add(started with { End = m.EndTime ?? m.Timestamp, Ended = true, Peak = m.Peak });
                    break;
                default:
                    if (open.TryGetValue(m.Id, out var running))
                    {
                        open[m.Id] = running with { Peak = m.Peak };
                    }

                    break;
            }
        }

        done.AddRange(open.Values);
        return [.. done.OrderBy(i => i.Start).ThenBy(i => i.Type)];
    }
}
