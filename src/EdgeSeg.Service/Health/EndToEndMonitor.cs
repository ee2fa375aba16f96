using System.Globalization;
using EdgeSeg.Pipeline.Diagnostics;
using PipelineState = EdgeSeg.Pipeline.Supervision.SourceState;

namespace EdgeSeg.Service.Health;

/// <summary>
/// Judges whether the service does its job end to end, from counters sampled about once a second: each running
/// source captures frames, frames get through the stages (not every one failing), and metrics and events reach the
/// broker or, during an outage, the offline queue. Compares now with the sample one window ago (half the MQTT
/// keep-alive, at least 2 s), so a fault shows within one keep-alive period; before a window has passed it judges
/// nothing. What it finds goes to <see cref="ServiceHealth.SetProblems"/>: <c>/readyz</c>, the STATUS line, the
/// systemd watchdog and the retained status read it there. Thread-safe; a singleton.
/// </summary>
internal sealed class EndToEndMonitor(ServiceHealth health, TimeSpan window)
{
    private readonly Queue<Sample> _samples = new();
    private readonly Lock _lock = new();

    /// <summary>How far back each judgement looks.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Records the counters at <paramref name="now"/> and updates the health's problems.</summary>
    public IReadOnlyList<string> Observe(DateTime now, IReadOnlyList<SourceSnapshot> sources, IBrokerLink? broker)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var sample = new Sample(now, sources.ToDictionary(s => s.Id, s => (s.State, s.Captured, s.Published, s.Failed), StringComparer.Ordinal),
            broker?.Connected ?? false, broker?.Acknowledged ?? 0, broker?.Refused ?? 0, broker?.Waiting ?? 0, broker?.QueueRefusal);
        Sample? then = null;
        lock (_lock)
        {
            _samples.Enqueue(sample);
            // Keep the newest sample at least a window old (the reference) and everything after it.
            while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= Window)
            {
                _samples.Dequeue();
            }

            var oldest = _samples.Peek();
            if (now - oldest.At >= Window)
            {
                then = oldest;
            }
        }

        var problems = then is null ? [] : Judge(then, sample, sources);
        health.SetProblems(problems);
        return problems;
    }

    private static List<string> Judge(Sample then, Sample now, IReadOnlyList<SourceSnapshot> sources)
    {
        var seconds = (now.At - then.At).TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        var problems = new List<string>();
        foreach (var source in sources)
        {
            if (!then.Sources.TryGetValue(source.Id, out var old))
            {
                continue;
            }

            var failed = source.Failed - old.Failed;
            if (failed > 0 && source.Published == old.Published)
            {
                problems.Add($"source '{source.Id}': all {failed} frame(s) of the last {seconds} s failed ({source.LastFailure ?? "no reason given"})");
            }
            else if (source.State == PipelineState.Running && old.State == PipelineState.Running && source.Captured == old.Captured)
            {
                problems.Add($"source '{source.Id}': running, but no frame captured in the last {seconds} s");
            }
        }

        var refused = now.Refused - then.Refused;
        if (refused > 0 || now.QueueRefusal is not null)
        {
            problems.Add($"mqtt: {refused} metrics/events message(s) refused in the last {seconds} s (the offline queue is full or cannot be written{(now.QueueRefusal is { } why ? ": " + why : string.Empty)})");
        }
        else if (now.Connected && then.Connected && now.Waiting > 0 && then.Waiting > 0 && now.Acknowledged == then.Acknowledged)
        {
            problems.Add($"mqtt: connected, but the broker acknowledged none of the {now.Waiting} waiting message(s) in the last {seconds} s");
        }

        return problems;
    }

    private sealed record Sample(DateTime At, Dictionary<string, (PipelineState State, long Captured, long Published, long Failed)> Sources,
        bool Connected, long Acknowledged, long Refused, long Waiting, string? QueueRefusal);
}
