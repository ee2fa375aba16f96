using System.CommandLine;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Evaluation;
using Spectre.Console;

namespace EdgeSeg.Trainer.Cli;

/// <summary>
/// <c>edgeseg-train eval</c>: scores an exported model on a dataset split through the service's own segmenter and
/// prints per-class IoU, precision, recall, pixel accuracy, mIoU and the confusion matrix (optionally as JSON).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "The ONNX model (its card: the .json beside it, or the model's metadata).", Required = true };
        var cardOption = new Option<string?>("--card") { Description = "A model card to use instead of the one beside the model." };
        var dataOption = new Option<string>("--data") { Description = "The dataset folder.", Required = true };
        var splitOption = new Option<string>("--split") { Description = "The split to score (train, val, test).", DefaultValueFactory = _ => "test" };
        var jsonOption = new Option<string?>("--json") { Description = "Also write the scores as JSON to this file." };
        var threadsOption = new Option<int>("--threads") { Description = "Inference threads (0: ONNX Runtime's default).", DefaultValueFactory = _ => 0 };
        var providersOption = new Option<string[]>("--providers")
        {
            Description = "Execution providers in order of preference (tensorrt, cuda, cpu).",
            DefaultValueFactory = _ => [.. InferenceOptions.DefaultProviders],
            AllowMultipleArgumentsPerToken = true,
        };
        var referenceOption = new Option<string?>("--reference")
        {
            Description = "Also run this model on the same frames and report on what share of pixels its masks equal the model's "
                + "(e.g. the float32 export against an int8 or float16 one, or the previous model against a new one).",
        };
        var referenceCardOption = new Option<string?>("--reference-card") { Description = "A model card for the reference model." };
        var command = new Command("eval", "Score an exported model on a dataset split with the service's own segmenter: per-class IoU, "
            + "precision, recall, pixel accuracy, mIoU and the confusion matrix. Classes the dataset does not label are left out of "
            + "its mIoU, and a prediction of such a class counts as the class that carries its label.")
        {
            modelOption, cardOption, dataOption, splitOption, jsonOption, threadsOption, providersOption, referenceOption, referenceCardOption,
        };
        command.SetAction((parse, ct) => RunAsync(
            new EvalSettings(
                parse.GetValue(modelOption)!,
                parse.GetValue(cardOption),
                parse.GetValue(dataOption)!,
                parse.GetValue(splitOption) ?? "test",
                parse.GetValue(jsonOption),
                parse.GetValue(threadsOption),
                parse.GetValue(providersOption) ?? [.. InferenceOptions.DefaultProviders],
                parse.GetValue(referenceOption),
                parse.GetValue(referenceCardOption)),
            AnsiConsole.Console,
            ct));
        return command;
    }

    /// <summary>Runs the evaluation; 0 on success, 1 when the data or model is unusable, 2 on a usage error.</summary>
    public static async Task<int> RunAsync(EvalSettings settings, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        Dataset dataset;
        try
        {
            dataset = Dataset.Open(settings.Data);
        }
        catch (DatasetFormatException e)
        {
            console.MarkupLineInterpolated($"[red]eval:[/] {e.Message}");
            return 1;
        }

        // Every file is checked first, so a bad dataset gets its whole problem list rather than the first failure.
        var request = new SplitRequest(dataset, 0, settings.Split);
        var check = DatasetLoader.Load([request], LabelSpace.For([dataset.Description]), null, false, Environment.ProcessorCount, null, cancellationToken);
        if (!check.Ok)
        {
            return CheckCommand.Report(console, check.Problems, check.Checked, [request]);
        }

        var options = new SegmenterOptions
        {
            Inference = new InferenceOptions { IntraOpThreads = settings.Threads, Providers = settings.Providers, Log = line => console.MarkupLineInterpolated($"[grey]{line}[/]") },
        };
        EvaluationResult result;
        try
        {
            using var segmenter = OnnxRuntimeBackend.OpenSegmenter(settings.Model, settings.Card, options);
            using var referenceSegmenter = settings.Reference is { } referencePath
                ? OnnxRuntimeBackend.OpenSegmenter(referencePath, settings.ReferenceCard, options)
                : null;
            var reference = referenceSegmenter is null ? null : new ReferenceModel(settings.Reference!, referenceSegmenter);
            result = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"eval {dataset.Name}/{settings.Split}", maxValue: check.Checked);
                    var progress = new Progress<int>(n => task.Value = n);
                    var r = await Evaluator.RunAsync(segmenter, dataset, settings.Split, progress, null, reference, cancellationToken);
                    task.Value = task.MaxValue;
                    return r;
                });
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCardException or OnnxRuntimeException or DatasetFormatException or DllNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]eval:[/] {e.Message}");
            return 1;
        }

        console.Write(EvaluationTable.Render(result));
        if (settings.Json is { } json)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(json));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            await File.WriteAllTextAsync(json, EvaluationJson.Serialize(result), cancellationToken);
            console.MarkupLineInterpolated($"scores written to [blue]{json}[/]");
        }

        return 0;
    }
}
