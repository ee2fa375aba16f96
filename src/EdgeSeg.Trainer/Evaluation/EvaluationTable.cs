using System.Globalization;
using EdgeSeg.Core.Classes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>Spectre.Console and Markdown renderings of an <see cref="EvaluationResult"/>.</summary>
internal static class EvaluationTable
{
    /// <summary>Per-class table, summary line and confusion matrix.</summary>
    public static IRenderable Render(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var classes = new Table().Title($"{Markup.Escape(result.Dataset)} / {Markup.Escape(result.Split)}: {result.Images} images")
            .AddColumn("class").AddColumn(new TableColumn("IoU").RightAligned()).AddColumn(new TableColumn("precision").RightAligned())
            .AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("pixels").RightAligned());
        foreach (var c in result.PerClass)
        {
            var name = c.Labelled ? c.Name : $"{c.Name} [grey](not labelled; not in mIoU)[/]";
            classes.AddRow(name, Format(c.IoU), Format(c.Precision), Format(c.Recall), c.Pixels.ToString("N0", CultureInfo.InvariantCulture));
        }

        var summary = new Markup(string.Create(
            CultureInfo.InvariantCulture, $"pixel accuracy [bold]{Format(result.PixelAccuracy)}[/]   mIoU [bold]{Format(result.MeanIoU)}[/]"));
        var confusion = new Table().Title("confusion (rows: truth, columns: prediction)").AddColumn("truth \\ predicted");
        foreach (var c in ApplianceClasses.All)
        {
            confusion.AddColumn(new TableColumn(c.Name).RightAligned());
        }

        for (var t = 0; t < result.Confusion.Count; t++)
        {
            confusion.AddRow([ApplianceClasses.Get(t).Name, .. result.Confusion[t].Select(n => n.ToString("N0", CultureInfo.InvariantCulture))]);
        }

        return new Rows(classes, summary, confusion);
    }

    /// <summary>The per-class table and summary as Markdown.</summary>
    public static string ToMarkdown(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>
        {
            $"{result.Dataset} / {result.Split}: {result.Images} images; pixel accuracy {Format(result.PixelAccuracy)}, mIoU {Format(result.MeanIoU)}",
            string.Empty,
            "| class | IoU | precision | recall | pixels |",
            "| --- | ---: | ---: | ---: | ---: |",
        };
        lines.AddRange(result.PerClass.Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"| {c.Name}{(c.Labelled ? string.Empty : " (not labelled; not in mIoU)")} | {Format(c.IoU)} | {Format(c.Precision)} | {Format(c.Recall)} | {c.Pixels} |")));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A score with 4 decimals, or a dash when undefined.</summary>
    public static string Format(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
