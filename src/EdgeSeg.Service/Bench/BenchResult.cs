namespace EdgeSeg.Service.Bench;

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
internal readonly record struct Percentiles(double P50, double P95, double P99, double Max, int Count)
{
    /// <summary>The percentiles of <paramref name="values"/> (NaN when empty).</summary>
    public static Percentiles Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var sorted = values.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1], sorted.Length);
    }
}

/// <summary>Everything one <c>edgeseg bench</c> run measured. Immutable.</summary>
internal sealed record BenchResult
{
    public required string Model { get; init; }

    public required string Input { get; init; }

    public required int FrameWidth { get; init; }

    public required int FrameHeight { get; init; }

    public required string Provider { get; init; }

    public required int Threads { get; init; }

    public required string Machine { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>Mean ONNX Runtime Run time in the Run-only phase, milliseconds.</summary>
    public required double RunMilliseconds { get; init; }

    /// <summary>Mean preprocess + Run + postprocess (the segmenter alone), milliseconds.</summary>
    public required double SegmentMilliseconds { get; init; }

    /// <summary>1000 / <see cref="RunMilliseconds"/>.</summary>
    public double RunOnlyFps => 1000 / RunMilliseconds;

    /// <summary>Frames per second through the whole service, source unpaced.</summary>
    public required double ServiceFps { get; init; }

    /// <summary>Service throughput over Run-only throughput (goal: at least 0.95).</summary>
    public double ThroughputRatio => ServiceFps / RunOnlyFps;

    /// <summary>
    /// Service throughput over the segmentation stage's own rate (1000 / <see cref="SegmentMilliseconds"/>), the
    /// slowest stage: how well the stages overlap (goal: at least 0.95).
    /// </summary>
    public double StageRatio => ServiceFps * SegmentMilliseconds / 1000;

    /// <summary>Capture-to-publish latency while the service runs flat out (queueing included).</summary>
    public required Percentiles LoadedLatency { get; init; }

    /// <summary>Capture-to-publish latency at the latency phase's input rate, or null when skipped.</summary>
    public Percentiles? PacedLatency { get; init; }

    /// <summary>The latency phase's input rate.</summary>
    public required double PacedFps { get; init; }

    /// <summary>p99 of <see cref="PacedLatency"/> over the Run time (goal: at most 2).</summary>
    public double? PacedP99OverRun => PacedLatency is { } p ? p.P99 / RunMilliseconds : null;

    /// <summary>The soak, or null when skipped.</summary>
    public SoakResult? Soak { get; init; }
}

/// <summary>One memory sample of a soak: minutes since its start, resident memory and the managed heap after the last GC.</summary>
internal readonly record struct SoakSample(double Minute, double ResidentMegabytes, double ManagedMegabytes);

/// <summary>Resident memory and the live managed heap right after a forced, compacting full collection.</summary>
internal readonly record struct CollectedMemory(double ResidentMegabytes, double LiveManagedMegabytes);

/// <summary>
/// Memory over a soak: the means over a window after the warm-up (the first tenth, at most a minute) and over the last
/// window (a tenth of the run, at least 15 s), for resident memory and the managed heap.
/// </summary>
internal sealed record SoakResult(double Minutes, long Frames, double StartResidentMegabytes, double EndResidentMegabytes, double PeakResidentMegabytes)
{
    /// <summary>Managed heap in the start window.</summary>
    public double StartManagedMegabytes { get; init; }

    /// <summary>Managed heap in the end window.</summary>
    public double EndManagedMegabytes { get; init; }

    /// <summary>Every sample, in order.</summary>
    public IReadOnlyList<SoakSample> Samples { get; init; } = [];

    /// <summary>
    /// Resident growth over the run by a least-squares line through every sample after the warm-up, relative to the
    /// line's start: unlike two windows, not swayed by where the managed heap's saw-tooth happens to be in each.
    /// </summary>
    public double TrendGrowth { get; init; }

    /// <summary>After a full collection at the end of the warm-up (null when the soak ended before).</summary>
    public CollectedMemory? CollectedStart { get; init; }

    /// <summary>After a full collection at the end of the run.</summary>
    public CollectedMemory? CollectedEnd { get; init; }

    /// <summary>Relative growth from start to end (goal: under 0.02).</summary>
    public double Growth => (EndResidentMegabytes - StartResidentMegabytes) / StartResidentMegabytes;
}
