using System.CommandLine;
using EdgeSeg.Trainer.Datasets;
using Spectre.Console;

namespace EdgeSeg.Trainer.Cli;

/// <summary><c>edgeseg-train check</c>: checks every file of one or more datasets and lists all problems at once.</summary>
internal static class CheckCommand
{
    /// <summary>The split names looked for when none is given.</summary>
    public static readonly IReadOnlyList<string> AllSplits = ["train", "val", "test"];

    public static Command Create()
    {
        var dataOption = new Option<string[]>("--data")
        {
            Description = "Dataset folder (images/, masks/, train.txt, val.txt, test.txt, classes.json); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var splitOption = new Option<string[]>("--split") { Description = "Splits to check (default: every split list present)." };
        var threadsOption = new Option<int>("--threads") { Description = "Decoding threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("check", "Check datasets before training: split lists, missing images or masks, image and mask sizes that "
            + "differ, multi-channel masks, mask values outside the class list. Every problem is listed with its file.")
        {
            dataOption, splitOption, threadsOption,
        };
        command.SetAction((parse, ct) => Task.FromResult(Run(
            parse.GetValue(dataOption) ?? [], parse.GetValue(splitOption) ?? [], parse.GetValue(threadsOption), AnsiConsole.Console, ct)));
        return command;
    }

    /// <summary>Checks the datasets; 0 when clean, 1 when problems were found, 2 on a usage error.</summary>
    public static int Run(IReadOnlyList<string> directories, IReadOnlyList<string> splits, int threads, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(console);
        if (threads <= 0)
        {
            console.MarkupLine("[red]check:[/] --threads must be positive.");
            return 2;
        }

        var requests = new List<SplitRequest>();
        var problems = new List<DatasetProblem>();
        var descriptions = new List<DatasetDescription>();
        for (var i = 0; i < directories.Count; i++)
        {
            Dataset dataset;
            try
            {
                dataset = Dataset.Open(directories[i]);
            }
            catch (DatasetFormatException e)
            {
                problems.Add(new DatasetProblem(directories[i], e.Message));
                continue;
            }

            descriptions.Add(dataset.Description);
            var wanted = splits.Count > 0 ? splits : [.. AllSplits.Where(dataset.HasSplit)];
            if (wanted.Count == 0)
            {
                problems.Add(new DatasetProblem(dataset.Directory, "no split list (train.txt, val.txt or test.txt)"));
            }

            requests.AddRange(wanted.Select(s => new SplitRequest(dataset, i, s)));
        }

        var result = DatasetLoader.Load(requests, LabelSpace.For(descriptions), null, keepSamples: false, threads, null, cancellationToken);
        problems.AddRange(result.Problems);
        return Report(console, problems, result.Checked, requests);
    }

    /// <summary>Prints the problems (or the all-clear) and returns the exit code.</summary>
    public static int Report(IAnsiConsole console, IReadOnlyList<DatasetProblem> problems, int samples, IReadOnlyList<SplitRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(requests);
        var scope = string.Join(", ", requests.Select(r => $"{r.Dataset.Name}/{r.Split}"));
        if (problems.Count == 0)
        {
            console.MarkupLineInterpolated($"[green]ok:[/] {samples} samples checked ({scope}).");
            return 0;
        }

        console.MarkupLineInterpolated($"[red]{problems.Count} problem(s)[/] in {samples} samples ({scope}):");
        foreach (var p in problems)
        {
            console.MarkupLineInterpolated($"  [yellow]{p.File}[/]: {p.Message}");
        }

        return 1;
    }
}
