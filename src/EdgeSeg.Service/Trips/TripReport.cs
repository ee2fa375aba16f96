using System.Globalization;
using System.Net;
using System.Text;
using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Appliance;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// <c>report.html</c>: one self-contained page (no script, no network: inline SVG charts and JPEG data URIs). Timelines
/// of the drivable corridor fraction, the lane offset, the nearest vehicle's proximity and time-to-contact and the
/// pedestrians in the corridor, each with the events as bands; the overlay at each event's start, linked to its marker
/// on the timelines; the summary as a table.
/// </summary>
internal static class TripReport
{
    private const int ChartWidth = 960;
    private const int ChartHeight = 150;
    private const int Left = 56;
    private const int Right = 12;
    private const int Top = 10;
    private const int Bottom = 24;

    /// <summary>Most points drawn per series (longer trips are thinned evenly; every event band is kept).</summary>
    private const int MaxPoints = 2400;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The colour of each event type's bands, legend and thumbnail border.</summary>
    public static string Colour(SceneEventType type) => type switch
    {
        SceneEventType.PedestrianInCorridor => "#dc143c",
        SceneEventType.VehicleClose => "#1f5fd6",
        SceneEventType.LaneDeparture => "#d49a00",
        _ => "#777777",
    };

    /// <summary>Writes the page to <paramref name="path"/>.</summary>
    public static void Write(string path, TripSummary summary, IReadOnlyList<SceneFacts> facts, IReadOnlyList<TripThumbnail> thumbnails)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(thumbnails);
        File.WriteAllText(path, Render(summary, facts, thumbnails), new UTF8Encoding(false));
    }

    /// <summary>The page's HTML.</summary>
    public static string Render(TripSummary summary, IReadOnlyList<SceneFacts> facts, IReadOnlyList<TripThumbnail> thumbnails)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var t0 = summary.Start;
        var duration = Math.Max(summary.DurationSeconds, 1e-3);
        double Seconds(DateTimeOffset t) => (t - t0).TotalSeconds;
        var times = facts.Select(f => Seconds(f.Timestamp)).ToArray();
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
            .Append(Invariant, $"<title>Trip {E(summary.Trip)}: safety score {summary.Score:0}</title>")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.n{text-align:right}")
            .Append("svg.chart{display:block;background:#fafafa;border:1px solid #ddd;margin:4px 0 14px}svg text{font:11px sans-serif;fill:#444}")
            .Append(".marker{stroke:#000;stroke-width:1;stroke-dasharray:2 3;opacity:.35}.marker:target{stroke:#e00;stroke-width:3;opacity:1;stroke-dasharray:none}")
            .Append(".thumbs{display:flex;flex-wrap:wrap;gap:10px}.thumbs figure{margin:0;width:")
            .Append(TripRecorder.ThumbnailWidth.ToString(Invariant)).Append("px}.thumbs img{width:100%;border:3px solid}.thumbs figcaption{font-size:12px}")
            .Append(".legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;opacity:.5}")
            .Append(".score{font-size:40px;font-weight:bold}</style></head><body>\n");
        html.Append(Invariant, $"<h1>Trip {E(summary.Trip)}</h1><p>{E(summary.Input)}<br>{summary.Start:yyyy-MM-dd HH:mm:ss} to {summary.End:HH:mm:ss} UTC, {summary.DurationSeconds:0.0} s, {summary.Frames} frames; model {E(summary.Model)} on {E(summary.Provider)}</p>");
        html.Append(Invariant, $"<p>Driver-safety score <span class=\"score\" id=\"score\">{summary.Score:0}</span> / 100</p>\n");

        html.Append("<h2>Timelines</h2><p class=\"legend\">");
        foreach (var type in Enum.GetValues<SceneEventType>())
        {
            html.Append(Invariant, $"<span><i style=\"background:{Colour(type)}\"></i>{SceneEventNames.Of(type)}</span>");
        }

        html.Append("</p>\n");
        var bands = summary.Intervals;
        Chart(html, "drivable", "Drivable corridor fraction", times, facts.Select(f => (double?)f.DrivableFraction).ToArray(), 0, 1, duration, bands, t0, thumbnails, markers: true);
        Chart(html, "offset", "Lane offset (fraction of lane width; negative left)", times, facts.Select(f => f.LaneOffset).ToArray(), -0.6, 0.6, duration, bands, t0, thumbnails, markers: false);
        Chart(html, "proximity", "Nearest vehicle in the corridor: proximity (0 horizon, 1 bottom of frame)", times, facts.Select(f => f.VehicleProximity).ToArray(), 0, 1, duration, bands, t0, thumbnails, markers: false);
        Chart(html, "ttc", "Nearest vehicle: time-to-contact (s, while closing; capped at 10)", times, facts.Select(f => f.TimeToContactSeconds is { } s ? Math.Min(s, 10) : (double?)null).ToArray(), 0, 10, duration, bands, t0, thumbnails, markers: false,
            guides: [summary.CriticalTimeToContactSeconds, summary.WarningTimeToContactSeconds]);
        Chart(html, "pedestrians", "Pedestrians in the corridor (fraction of the corridor)", times, facts.Select(f => (double?)f.PedestrianFraction).ToArray(), 0,
            Math.Max(0.05, facts.Count == 0 ? 0 : facts.Max(f => f.PedestrianFraction)), duration, bands, t0, thumbnails, markers: false);

        html.Append("<h2>Events</h2>\n");
        if (thumbnails.Count == 0)
        {
            html.Append("<p>No events.</p>\n");
        }
        else
        {
            html.Append("<div class=\"thumbs\">");
            for (var i = 0; i < thumbnails.Count; i++)
            {
                var t = thumbnails[i];
                var at = Seconds(t.Time);
                html.Append(Invariant, $"<figure><a href=\"#m{i}\" title=\"show on the timeline\"><img alt=\"{SceneEventNames.Of(t.Type)} at {at:0.0} s\" style=\"border-color:{Colour(t.Type)}\" src=\"data:image/jpeg;base64,{Convert.ToBase64String(t.Jpeg)}\"></a>")
                    .Append(Invariant, $"<figcaption>{SceneEventNames.Of(t.Type)} from <a href=\"#m{i}\">{at:0.00} s</a> (frame {t.Frame}, {t.Time:HH:mm:ss.ff})</figcaption></figure>");
            }

            html.Append("</div>\n");
        }

        html.Append("<h2>Summary</h2>\n<table id=\"summary\">");
        Row(html, "duration", F(summary.DurationSeconds, "0.00") + " s");
        Row(html, "frames", summary.Frames.ToString(Invariant));
        Row(html, "model / provider", summary.Model + " / " + summary.Provider);
        Row(html, "ms per frame", string.Join(", ", summary.StageMilliseconds.Select(s => $"{s.Stage} {F(s.Milliseconds, "0.00")}")));
        Row(html, "processing rate", F(summary.ProcessingFps, "0.0") + " frames/s");
        foreach (var (type, totals) in summary.Events)
        {
            Row(html, SceneEventNames.Of(type), $"{totals.Count} ({F(totals.PerHour, "0.0")} per hour), {F(totals.TotalSeconds, "0.00")} s in all");
        }

        Row(html, "minimum time-to-contact", summary.MinTimeToContactSeconds is { } min ? F(min, "0.00") + " s" : "none (no vehicle closing in)");
        Row(html, $"time under {F(summary.CriticalTimeToContactSeconds, "0.##")} s time-to-contact", F(summary.TimeUnderCriticalSeconds, "0.00") + " s");
        Row(html, $"time under {F(summary.WarningTimeToContactSeconds, "0.##")} s time-to-contact", F(summary.TimeUnderWarningSeconds, "0.00") + " s");
        Row(html, "time with a pedestrian in the corridor", F(summary.PedestrianInCorridorSeconds, "0.00") + " s");
        Row(html, "lane departures left / right", $"{summary.LaneDeparturesLeft} / {summary.LaneDeparturesRight}");
        Row(html, "camera obstructed", F(summary.CameraObstructedSeconds, "0.00") + " s");
        html.Append("</table>\n<h2>Score</h2><p>score = clamp(100 - sum(weight &times; quantity), 0, 100) = ").Append(F(summary.Score, "0.0")).Append("</p><table id=\"score-terms\"><tr><th>term</th><th>quantity</th><th>weight (setting)</th><th>points off</th></tr>");
        foreach (var term in summary.ScoreTerms)
        {
            html.Append(Invariant, $"<tr><td>{E(term.Name)}</td><td class=\"n\">{F(term.Quantity, "0.###")}</td><td>{F(term.Weight, "0.###")} ({E(term.Setting)})</td><td class=\"n\">{F(term.Points, "0.##")}</td></tr>");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    private static void Chart(StringBuilder html, string id, string title, double[] times, double?[] values, double min, double max, double duration,
        IReadOnlyList<TripInterval> bands, DateTimeOffset t0, IReadOnlyList<TripThumbnail> thumbnails, bool markers, double[]? guides = null)
    {
        const int plotWidth = ChartWidth - Left - Right;
        const int plotHeight = ChartHeight - Top - Bottom;
        double X(double seconds) => Left + (plotWidth * Math.Clamp(seconds / duration, 0, 1));
        double Y(double value) => Top + (plotHeight * (1 - Math.Clamp((value - min) / (max - min), 0, 1)));
        html.Append(Invariant, $"<h3>{E(title)}</h3><svg class=\"chart\" id=\"chart-{id}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" role=\"img\" aria-label=\"{E(title)}\">");
        foreach (var band in bands)
        {
            var x0 = X((band.Start - t0).TotalSeconds);
            var x1 = Math.Max(X((band.End - t0).TotalSeconds), x0 + 1);
            html.Append(Invariant, $"<rect class=\"band\" x=\"{x0:0.#}\" y=\"{Top}\" width=\"{x1 - x0:0.#}\" height=\"{plotHeight}\" fill=\"{Colour(band.Type)}\" fill-opacity=\"0.22\"><title>{SceneEventNames.Of(band.Type)} {(band.Start - t0).TotalSeconds:0.00}-{(band.End - t0).TotalSeconds:0.00} s</title></rect>");
        }

        foreach (var g in guides ?? [])
        {
            html.Append(Invariant, $"<line x1=\"{Left}\" x2=\"{ChartWidth - Right}\" y1=\"{Y(g):0.#}\" y2=\"{Y(g):0.#}\" stroke=\"#c00\" stroke-dasharray=\"4 3\" stroke-width=\"1\"/>");
        }

        // Axes: value range left, seconds below.
        html.Append(Invariant, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/><line x1=\"{Left}\" x2=\"{ChartWidth - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/>");
        html.Append(Invariant, $"<text x=\"{Left - 4}\" y=\"{Top + 9}\" text-anchor=\"end\">{F(max, "0.##")}</text><text x=\"{Left - 4}\" y=\"{Top + plotHeight}\" text-anchor=\"end\">{F(min, "0.##")}</text>");
        var step = NiceStep(duration);
        for (var s = 0.0; s <= duration + 1e-9; s += step)
        {
            html.Append(Invariant, $"<text x=\"{X(s):0.#}\" y=\"{ChartHeight - 8}\" text-anchor=\"middle\">{F(s, "0.##")} s</text>");
        }

        // The series: one path, broken where a value is missing (no lane, no vehicle), thinned evenly on long trips.
        var stride = Math.Max(1, (int)Math.Ceiling(times.Length / (double)MaxPoints));
        var path = new StringBuilder();
        var pen = false;
        for (var i = 0; i < times.Length; i += stride)
        {
            if (values[i] is not { } v)
            {
                pen = false;
                continue;
            }

            path.Append(Invariant, $"{(pen ? 'L' : 'M')}{X(times[i]):0.#} {Y(v):0.#}");
            pen = true;
        }

        html.Append(Invariant, $"<path class=\"series\" d=\"{path}\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.3\"/>");
        if (markers)
        {
            for (var i = 0; i < thumbnails.Count; i++)
            {
                var x = X((thumbnails[i].Time - t0).TotalSeconds);
                html.Append(Invariant, $"<line class=\"marker\" id=\"m{i}\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\"><title>{SceneEventNames.Of(thumbnails[i].Type)} starts</title></line>");
            }
        }

        html.Append("</svg>\n");
    }

    private static double NiceStep(double duration)
    {
        var raw = duration / 10;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1e-3))));
        var unit = raw / magnitude;
        return magnitude * (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10);
    }

    private static void Row(StringBuilder html, string name, string value) => html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string F(double value, string format) => value.ToString(format, Invariant);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
