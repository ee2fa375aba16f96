using System.Globalization;
using EdgeSeg.Core.Classes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>Spectre.Console and Markdown renderings of an <see cref="EvaluationResult"/>.</summary>
internal static class EvaluationTable
{
    /// <summary>The object-recall columns, as every rendering heads them.</summary>
    public static IReadOnlyList<string> ObjectHeaders { get; } = ["class", "height", "objects", "found (half their pixels)", "pixel recall"];

    // The first two object columns are text; the rest are counts and fractions, right-aligned.
    private const int ObjectTextColumns = 2;

    /// <summary>Per-class table, summary line, confusion matrix and, where counted, objects by height.</summary>
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
            CultureInfo.InvariantCulture, $"pixel accuracy [bold]{Format(result.PixelAccuracy)}[/]   mIoU [bold]{Format(result.MeanIoU)}[/]")
            + (result.Agreement is { } agreement ? "\n" + Markup.Escape(AgreementLine(agreement)) : string.Empty));
        var confusion = new Table().Title("confusion (rows: truth, columns: prediction)").AddColumn("truth \\ predicted");
        foreach (var c in ApplianceClasses.All)
        {
            confusion.AddColumn(new TableColumn(c.Name).RightAligned());
        }

        for (var t = 0; t < result.Confusion.Count; t++)
        {
            confusion.AddRow([ApplianceClasses.Get(t).Name, .. result.Confusion[t].Select(n => n.ToString("N0", CultureInfo.InvariantCulture))]);
        }

        if (result.Objects.Count == 0)
        {
            return new Rows(classes, summary, confusion);
        }

        var objects = new Table().Title("objects by height (connected regions of the class in the truth)")
            .AddColumns([.. ObjectHeaders.Select((h, i) => i < ObjectTextColumns ? new TableColumn(h) : new TableColumn(h).RightAligned())]);
        foreach (var row in ObjectRows(result))
        {
            objects.AddRow(row);
        }

        return new Rows(classes, summary, confusion, objects);
    }

    /// <summary>The object-recall rows as text cells: class, height band, objects, found (with its share), pixel recall.</summary>
    public static IEnumerable<string[]> ObjectRows(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var o in result.Objects)
        {
            foreach (var b in o.Bands)
            {
                var found = b.Objects == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{b.Found} ({100 * b.FoundRate:0}%)");
                yield return [o.Name, b.Label, b.Objects.ToString(CultureInfo.InvariantCulture), found, Format(b.PixelRecall)];
            }
        }
    }

    /// <summary>The per-class table and summary, and the objects by height where counted, as Markdown.</summary>
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
        if (result.Agreement is { } agreement)
        {
            lines.AddRange([string.Empty, AgreementLine(agreement)]);
        }

        if (result.Objects.Count > 0)
        {
            var alignments = ObjectHeaders.Select((_, i) => i < ObjectTextColumns ? "---" : "---:");
            lines.AddRange([string.Empty, $"| {string.Join(" | ", ObjectHeaders)} |", $"| {string.Join(" | ", alignments)} |"]);
            lines.AddRange(ObjectRows(result).Select(r => $"| {string.Join(" | ", r)} |"));
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>One line on the agreement with a reference model: the share of equal pixels and the lowest image's.</summary>
    public static string AgreementLine(MaskAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"masks equal to {Path.GetFileName(agreement.Reference)}'s on {Percent(agreement.Share)} of {agreement.Pixels:N0} pixels (lowest image {Percent(agreement.LowestImage)})");
    }

    private static string Percent(double share) => double.IsFinite(share) ? (100 * share).ToString("0.000", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A score with 4 decimals, or a dash when undefined.</summary>
    public static string Format(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
