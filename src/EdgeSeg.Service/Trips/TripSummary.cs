using System.Text.Json;
using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Configuration;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// A trip in figures (<c>summary.json</c>). Times are the video's own: each frame stands for the time to the next
/// frame (the last one for the step before it), so a trip's duration is its frames' durations summed.
/// </summary>
internal sealed class TripSummary
{
    /// <summary>The summary's schema version.</summary>
    public const int SchemaVersion = 1;

    public required string Trip { get; init; }

    public required string Input { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required double DurationSeconds { get; init; }

    public required long Frames { get; init; }

    public required string Model { get; init; }

    public required string Provider { get; init; }

    /// <summary>Mean milliseconds per frame by stage: preprocess, inference, postprocess, scene, write.</summary>
    public required IReadOnlyList<(string Stage, double Milliseconds)> StageMilliseconds { get; init; }

    /// <summary>Frames per second through the whole pipeline (wall clock, the model's loading excluded).</summary>
    public required double ProcessingFps { get; init; }

    public required IReadOnlyDictionary<SceneEventType, EventTotals> Events { get; init; }

    public required double? MinTimeToContactSeconds { get; init; }

    public required double CriticalTimeToContactSeconds { get; init; }

    public required double WarningTimeToContactSeconds { get; init; }

    public required double TimeUnderCriticalSeconds { get; init; }

    public required double TimeUnderWarningSeconds { get; init; }

    public required double PedestrianInCorridorSeconds { get; init; }

    public required int LaneDeparturesLeft { get; init; }

    public required int LaneDeparturesRight { get; init; }

    public required double CameraObstructedSeconds { get; init; }

    public required double Score { get; init; }

    public required IReadOnlyList<ScoreTerm> ScoreTerms { get; init; }

    /// <summary>Every event as an interval, in start order.</summary>
    public required IReadOnlyList<TripInterval> Intervals { get; init; }

    /// <summary>How long each frame stands for, in seconds (same order as the facts).</summary>
    public static double[] FrameDurations(IReadOnlyList<SceneFacts> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var durations = new double[facts.Count];
        for (var i = 0; i + 1 < facts.Count; i++)
        {
            durations[i] = Math.Max(0, (facts[i + 1].Timestamp - facts[i].Timestamp).TotalSeconds);
        }

        if (facts.Count >= 2)
        {
            durations[^1] = durations[^2];
        }

        return durations;
    }

    /// <summary>Sums up a recorded trip.</summary>
    public static TripSummary Compute(TripRecorder trip, ReportSettings settings, string model, string provider, double sceneMilliseconds, double processingFps)
    {
        ArgumentNullException.ThrowIfNull(trip);
        ArgumentNullException.ThrowIfNull(settings);
        var facts = trip.Facts;
        if (facts.Count == 0)
        {
            throw new InvalidOperationException($"Trip '{trip.Plan.Id}' has no frames.");
        }

        var durations = FrameDurations(facts);
        var duration = durations.Sum();
        var start = facts[0].Timestamp;
        var end = start + TimeSpan.FromSeconds(duration);
        double? minTtc = null;
        double critical = 0, warning = 0, pedestrian = 0;
        for (var i = 0; i < facts.Count; i++)
        {
            var f = facts[i];
            if (f.TimeToContactSeconds is { } ttc)
            {
                minTtc = Math.Min(minTtc ?? double.MaxValue, ttc);
                critical += ttc < settings.CriticalTimeToContactSeconds ? durations[i] : 0;
                warning += ttc < settings.WarningTimeToContactSeconds ? durations[i] : 0;
            }

            pedestrian += f.PedestrianInCorridor ? durations[i] : 0;
        }

        var intervals = TripInterval.FromMessages(trip.Events, end);
        var hours = duration / 3600;
        var events = Enum.GetValues<SceneEventType>().ToDictionary(t => t, t =>
        {
            var of = intervals.Where(i => i.Type == t).ToArray();
            return new EventTotals(of.Length, hours > 0 ? of.Length / hours : 0, of.Sum(i => i.Duration.TotalSeconds));
        });
        var (score, terms) = SafetyScore.Compute(duration, events.ToDictionary(e => e.Key, e => e.Value.Count), critical, warning, pedestrian, settings);
        var ms = trip.MeanMilliseconds();
        return new TripSummary
        {
            Trip = trip.Plan.Id,
            Input = trip.Plan.Input,
            Start = start,
            End = end,
            DurationSeconds = duration,
            Frames = facts.Count,
            Model = model,
            Provider = provider,
            StageMilliseconds = [("preprocess", ms.Preprocess), ("inference", ms.Inference), ("postprocess", ms.Postprocess), ("scene", sceneMilliseconds), ("write", ms.Write)],
            ProcessingFps = processingFps,
            Events = events,
            MinTimeToContactSeconds = minTtc,
            CriticalTimeToContactSeconds = settings.CriticalTimeToContactSeconds,
            WarningTimeToContactSeconds = settings.WarningTimeToContactSeconds,
            TimeUnderCriticalSeconds = critical,
            TimeUnderWarningSeconds = warning,
            PedestrianInCorridorSeconds = pedestrian,
            LaneDeparturesLeft = intervals.Count(i => i.Type == SceneEventType.LaneDeparture && i.StartValue < 0),
            LaneDeparturesRight = intervals.Count(i => i.Type == SceneEventType.LaneDeparture && i.StartValue > 0),
            CameraObstructedSeconds = events[SceneEventType.CameraObstructed].TotalSeconds,
            Score = score,
            ScoreTerms = terms,
            Intervals = intervals,
        };
    }

    /// <summary>Writes <c>summary.json</c> (numbers rounded to 6 decimals; field names in README.md, "Recorded drives").</summary>
    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("schema", SchemaVersion);
        w.WriteString("trip", Trip);
        w.WriteString("input", Input);
        w.WriteString("start", Start);
        w.WriteString("end", End);
        w.WriteNumber("durationS", R(DurationSeconds));
        w.WriteNumber("frames", Frames);
        w.WriteString("model", Model);
        w.WriteString("provider", Provider);
        w.WriteStartObject("msPerFrame");
        foreach (var (stage, ms) in StageMilliseconds)
        {
            w.WriteNumber(stage, R(ms));
        }

        w.WriteEndObject();
        w.WriteNumber("processingFps", R(ProcessingFps));
        w.WriteStartObject("events");
        foreach (var (type, totals) in Events)
        {
            w.WriteStartObject(SceneEventNames.Of(type));
            w.WriteNumber("count", totals.Count);
            w.WriteNumber("perHour", R(totals.PerHour));
            w.WriteNumber("totalS", R(totals.TotalSeconds));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("timeToContact");
        if (MinTimeToContactSeconds is { } min)
        {
            w.WriteNumber("minS", R(min));
        }
        else
        {
            w.WriteNull("minS");
        }

        w.WriteNumber("criticalS", CriticalTimeToContactSeconds);
        w.WriteNumber("underCriticalS", R(TimeUnderCriticalSeconds));
        w.WriteNumber("warningS", WarningTimeToContactSeconds);
        w.WriteNumber("underWarningS", R(TimeUnderWarningSeconds));
        w.WriteEndObject();
        w.WriteNumber("pedestrianInCorridorS", R(PedestrianInCorridorSeconds));
        w.WriteStartObject("laneDepartures");
        w.WriteNumber("left", LaneDeparturesLeft);
        w.WriteNumber("right", LaneDeparturesRight);
        w.WriteEndObject();
        w.WriteNumber("cameraObstructedS", R(CameraObstructedSeconds));
        w.WriteStartObject("score");
        w.WriteNumber("value", R(Score));
        w.WriteString("formula", "clamp(100 - sum(weight * quantity), 0, 100)");
        w.WriteStartArray("terms");
        foreach (var t in ScoreTerms)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("setting", t.Setting);
            w.WriteNumber("quantity", R(t.Quantity));
            w.WriteNumber("weight", t.Weight);
            w.WriteNumber("points", R(t.Points));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static double R(double value) => Math.Round(value, 6);
}
