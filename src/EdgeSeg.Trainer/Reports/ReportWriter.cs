using System.Globalization;
using System.Net;
using System.Text;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Evaluation;

namespace EdgeSeg.Trainer.Reports;

/// <summary>
/// Writes a run's report folder: <c>loss.svg</c>, <c>validation.svg</c> (mIoU and per-class IoU),
/// <c>learning-rate.svg</c>, <c>samples.png</c> (frame, ground truth, prediction), <c>classes.md</c> (per-class table),
/// <c>command.txt</c> (exact command and time taken), <c>history.json</c> and an <c>index.html</c> tying them together.
/// </summary>
internal static class ReportWriter
{
    /// <summary>The files every report holds.</summary>
    public static readonly IReadOnlyList<string> Files =
        ["index.html", "loss.svg", "validation.svg", "learning-rate.svg", "samples.png", "classes.md", "command.txt", "history.json"];

    /// <summary>Writes (or overwrites) the report in <paramref name="folder"/>.</summary>
    /// <param name="folder">Created when missing.</param>
    /// <param name="history">The epochs.</param>
    /// <param name="summary">Command, time, model and final scores.</param>
    /// <param name="samples">The validation grid (see <see cref="PredictionGrid"/>).</param>
    public static void Write(string folder, TrainingHistory history, RunSummary summary, ImageBuffer samples)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(samples);
        Directory.CreateDirectory(folder);
        var epochs = history.Epochs;
        File.WriteAllText(Path.Combine(folder, "loss.svg"), new SvgLineChart { Title = "Training loss", XLabel = "epoch", YLabel = "loss" }
            .Render([new ChartSeries("train loss", "#1f77b4", [.. epochs.Select(e => ((double)e.Epoch, e.TrainLoss))])]));
        File.WriteAllText(Path.Combine(folder, "validation.svg"), ValidationChart(epochs));
        File.WriteAllText(Path.Combine(folder, "learning-rate.svg"), new SvgLineChart { Title = "Learning rate", XLabel = "epoch", YLabel = "learning rate" }
            .Render([new ChartSeries("learning rate", "#2ca02c", [.. epochs.Select(e => ((double)e.Epoch, e.LearningRate))])]));
        CvImage.Write(Path.Combine(folder, "samples.png"), samples);
        File.WriteAllText(Path.Combine(folder, "classes.md"), string.Join('\n', summary.Validation.Select(EvaluationTable.ToMarkdown)));
        File.WriteAllText(Path.Combine(folder, "command.txt"), string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Command}\n# started {summary.Started:u}, took {FormatDuration(summary.Elapsed)}\n"));
        history.Save(Path.Combine(folder, "history.json"));
        File.WriteAllText(Path.Combine(folder, "index.html"), Html(history, summary));
    }

    /// <summary>A duration as <c>1h 02m 03s</c> / <c>2m 03s</c> / <c>4.2 s</c>.</summary>
    public static string FormatDuration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m {t.Seconds:00}s")
        : t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m {t.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");

    private static string ValidationChart(IReadOnlyList<EpochRecord> epochs)
    {
        var series = new List<ChartSeries> { new("mIoU", "#111111", [.. epochs.Select(e => ((double)e.Epoch, e.ValidationMeanIoU))]) };
        foreach (var c in ApplianceClasses.All)
        {
            var points = epochs.Select(e => ((double)e.Epoch, c.Index < e.ValidationIoU.Count ? e.ValidationIoU[c.Index] : double.NaN)).ToList();
            if (points.Any(p => double.IsFinite(p.Item2)))
            {
                // Background's display colour is black like the mIoU line; draw it grey here.
                var colour = c.Class == ApplianceClass.Background ? "#8c8c8c" : c.Color.ToHex();
                series.Add(new ChartSeries($"{c.Name} IoU", colour, points, Dashed: true));
            }
        }

        return new SvgLineChart { Title = "Validation mIoU and per-class IoU", XLabel = "epoch", YLabel = "IoU", YRange = (0, 1) }.Render(series);
    }

    private static string Html(TrainingHistory history, RunSummary summary)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>EdgeSeg training report</title>\n")
            .Append("<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1600px}")
            .Append("table{border-collapse:collapse;margin:8px 0 18px}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}pre{background:#f4f4f4;padding:10px;white-space:pre-wrap}")
            .Append("img{max-width:100%;border:1px solid #ddd;margin:4px 0}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Training report: {E(Path.GetFileName(summary.Model))}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Started {summary.Started:u}; took {E(FormatDuration(summary.Elapsed))}. ")
            .Append(CultureInfo.InvariantCulture, $"Exported model: <code>{E(summary.Model)}</code> (best epoch {summary.BestEpoch} by validation mIoU).</p>\n");
        html.Append("<h2>Command</h2>\n<pre>").Append(E(summary.Command)).Append("</pre>\n");
        if (summary.Notes.Count > 0)
        {
            html.Append("<ul>");
            foreach (var n in summary.Notes)
            {
                html.Append("<li>").Append(E(n)).Append("</li>");
            }

            html.Append("</ul>\n");
        }

        html.Append("<h2>Validation of the exported model</h2>\n");
        foreach (var r in summary.Validation)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(r.Dataset)} / {E(r.Split)}: {r.Images} images, pixel accuracy {EvaluationTable.Format(r.PixelAccuracy)}, mIoU {EvaluationTable.Format(r.MeanIoU)}</h3>\n");
            html.Append("<table><tr><th>class</th><th>IoU</th><th>precision</th><th>recall</th><th>pixels</th></tr>\n");
            foreach (var c in r.PerClass)
            {
                var name = c.Labelled ? c.Name : c.Name + " (not labelled; not in mIoU)";
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{EvaluationTable.Format(c.IoU)}</td><td>{EvaluationTable.Format(c.Precision)}</td><td>{EvaluationTable.Format(c.Recall)}</td><td>{c.Pixels}</td></tr>\n");
            }

            html.Append("</table>\n");
            if (r.Agreement is { } agreement)
            {
                html.Append("<p>").Append(E(EvaluationTable.AgreementLine(agreement))).Append("</p>\n");
            }

            if (r.Objects.Count > 0)
            {
                html.Append("<table><tr>").AppendJoin(string.Empty, EvaluationTable.ObjectHeaders.Select(h => $"<th>{E(h)}</th>")).Append("</tr>\n");
                foreach (var row in EvaluationTable.ObjectRows(r))
                {
                    html.Append("<tr>").AppendJoin(string.Empty, row.Select(cell => $"<td>{E(cell)}</td>")).Append("</tr>\n");
                }

                html.Append("</table>\n");
            }
        }

        html.Append("<h2>Curves</h2>\n<img src=\"loss.svg\" alt=\"training loss\"><br>\n<img src=\"validation.svg\" alt=\"validation mIoU and per-class IoU\"><br>\n")
            .Append("<img src=\"learning-rate.svg\" alt=\"learning rate\">\n");
        html.Append("<h2>Validation frames</h2>\n<p>Each row: frame, ground truth, prediction.</p>\n<img src=\"samples.png\" alt=\"validation frames\">\n");
        html.Append("<h2>Epochs</h2>\n<table><tr><th>epoch</th><th>loss</th><th>val mIoU</th><th>learning rate</th><th>images/s</th><th>seconds</th></tr>\n");
        foreach (var e in history.Epochs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Epoch}</td><td>{e.TrainLoss:0.0000}</td><td>{EvaluationTable.Format(e.ValidationMeanIoU)}</td><td>{e.LearningRate:0.######}</td><td>{e.ImagesPerSecond:0.0}</td><td>{e.Seconds:0.0}</td></tr>\n");
        }

        html.Append("</table>\n<p>Files: ");
        html.Append(string.Join(", ", Files.Select(f => $"<a href=\"{f}\">{f}</a>")));
        html.Append("</p>\n</body></html>\n");
        return html.ToString();
    }
}
