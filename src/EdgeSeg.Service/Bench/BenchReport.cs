using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace EdgeSeg.Service.Bench;

/// <summary>How a bench result is shown (a table with each goal's verdict) and saved (JSON).</summary>
internal static class BenchReport
{
    /// <summary>The results as a table: each figure, its goal and whether it is met.</summary>
    public static Table Render(BenchResult r)
    {
        var table = new Table().Title($"edgeseg bench: {Path.GetFileName(r.Model)} on {Path.GetFileName(r.Input)} ({r.FrameWidth}x{r.FrameHeight}), {r.Provider}, threads {r.Threads}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("goal");
        table.AddRow("ONNX Runtime Run only", F($"{r.RunMilliseconds:0.00} ms ({r.RunOnlyFps:0.0} fps)"), "");
        table.AddRow("segmenter (pre + Run + post)", F($"{r.SegmentMilliseconds:0.00} ms"), "");
        table.AddRow("whole service, unpaced", F($"{r.ServiceFps:0.0} fps"), "");
        table.AddRow("service / Run-only throughput", F($"{r.ThroughputRatio:0.000}"), Verdict(r.ThroughputRatio >= 0.95, ">= 0.95"));
        table.AddRow("service / segmentation-stage rate", F($"{r.StageRatio:0.000}"), Verdict(r.StageRatio >= 0.95, ">= 0.95 (stages overlap)"));
        table.AddRow("latency unpaced p50 / p95 / p99", Latency(r.LoadedLatency), "(queueing included)");
        if (r.PacedLatency is { } paced)
        {
            table.AddRow(F($"latency at {r.PacedFps:0.##} fps p50 / p95 / p99"), Latency(paced), "");
            table.AddRow(F($"p99 at {r.PacedFps:0.##} fps / Run time"), F($"{r.PacedP99OverRun:0.00}"), Verdict(r.PacedP99OverRun <= 2, "<= 2"));
        }

        if (r.Soak is { } soak)
        {
            table.AddRow(F($"resident memory over {soak.Minutes:0.#} min"), F($"{soak.StartResidentMegabytes:0.0} -> {soak.EndResidentMegabytes:0.0} MB ({soak.Growth:+0.00%;-0.00%})"),
                Verdict(soak.Growth < 0.02, "growth < 2% (over 30 min)"));
            table.AddRow("managed heap over the soak", F($"{soak.StartManagedMegabytes:0.0} -> {soak.EndManagedMegabytes:0.0} MB"), "");
            table.AddRow("resident trend (least squares)", F($"{soak.TrendGrowth:+0.00%;-0.00%} over the run"), "");
            if (soak is { CollectedStart: { } a, CollectedEnd: { } b })
            {
                table.AddRow("after a full collection", F($"resident {a.ResidentMegabytes:0.0} -> {b.ResidentMegabytes:0.0} MB ({(b.ResidentMegabytes - a.ResidentMegabytes) / a.ResidentMegabytes:+0.00%;-0.00%}), live managed {a.LiveManagedMegabytes:0.0} -> {b.LiveManagedMegabytes:0.0} MB"), "");
            }
        }

        table.Caption(Markup.Escape($"{r.Machine}; {r.Date:yyyy-MM-dd HH:mm} UTC"));
        return table;
    }

    /// <summary>Writes the results as JSON to <paramref name="path"/>.</summary>
    public static void WriteJson(BenchResult r, string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("model", r.Model);
        w.WriteString("input", r.Input);
        w.WriteNumber("frameWidth", r.FrameWidth);
        w.WriteNumber("frameHeight", r.FrameHeight);
        w.WriteString("provider", r.Provider);
        w.WriteNumber("threads", r.Threads);
        w.WriteString("machine", r.Machine);
        w.WriteString("date", r.Date);
        w.WriteNumber("runMilliseconds", r.RunMilliseconds);
        w.WriteNumber("segmentMilliseconds", r.SegmentMilliseconds);
        w.WriteNumber("runOnlyFps", r.RunOnlyFps);
        w.WriteNumber("serviceFps", r.ServiceFps);
        w.WriteNumber("throughputRatio", r.ThroughputRatio);
        w.WriteNumber("stageRatio", r.StageRatio);
        WriteLatency(w, "latencyUnpacedMs", r.LoadedLatency);
        if (r.PacedLatency is { } paced)
        {
            w.WriteNumber("pacedFps", r.PacedFps);
            WriteLatency(w, "latencyPacedMs", paced);
            w.WriteNumber("pacedP99OverRun", r.PacedP99OverRun!.Value);
        }

        if (r.Soak is { } soak)
        {
            w.WriteStartObject("soak");
            w.WriteNumber("minutes", soak.Minutes);
            w.WriteNumber("frames", soak.Frames);
            w.WriteNumber("startResidentMegabytes", soak.StartResidentMegabytes);
            w.WriteNumber("endResidentMegabytes", soak.EndResidentMegabytes);
            w.WriteNumber("peakResidentMegabytes", soak.PeakResidentMegabytes);
            w.WriteNumber("growth", soak.Growth);
            w.WriteNumber("startManagedMegabytes", soak.StartManagedMegabytes);
            w.WriteNumber("endManagedMegabytes", soak.EndManagedMegabytes);
            w.WriteNumber("trendGrowth", soak.TrendGrowth);
            foreach (var (name, collected) in new[] { ("collectedStart", soak.CollectedStart), ("collectedEnd", soak.CollectedEnd) })
            {
                if (collected is { } c)
                {
                    w.WriteStartObject(name);
                    w.WriteNumber("residentMegabytes", c.ResidentMegabytes);
                    w.WriteNumber("liveManagedMegabytes", c.LiveManagedMegabytes);
                    w.WriteEndObject();
                }
            }

            w.WriteStartArray("samples");
            foreach (var sample in soak.Samples)
            {
                w.WriteStartObject();
                w.WriteNumber("minute", Math.Round(sample.Minute, 3));
                w.WriteNumber("residentMegabytes", Math.Round(sample.ResidentMegabytes, 2));
                w.WriteNumber("managedMegabytes", Math.Round(sample.ManagedMegabytes, 2));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, string name, Percentiles p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("p50", p.P50);
        w.WriteNumber("p95", p.P95);
        w.WriteNumber("p99", p.P99);
        w.WriteNumber("max", p.Max);
        w.WriteNumber("frames", p.Count);
        w.WriteEndObject();
    }

    private static string Latency(Percentiles p) => F($"{p.P50:0.0} / {p.P95:0.0} / {p.P99:0.0} ms");

    private static string Verdict(bool met, string goal) => met ? $"[green]met[/] ({Markup.Escape(goal)})" : $"[red]not met[/] ({Markup.Escape(goal)})";

    private static string F(FormattableString s) => Markup.Escape(s.ToString(CultureInfo.InvariantCulture));
}
