using System.CommandLine;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Trips;
using Spectre.Console;

namespace EdgeSeg.Service.Cli;

/// <summary>
/// <c>edgeseg process --input PATH... --out DIR [--save-masks] [--overlay-video] [--force] [--Key=value ...]</c>:
/// recorded drives through the service's own pipeline, to metrics, events, a summary and a report per file.
/// </summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input")
        {
            Description = "Video files, folders of them, or globs (wildcards in the file name: 'sd/*.mp4').",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "Folder for the trips: DIR/<stem>/ per input.", Required = true };
        var saveMasks = new Option<bool>("--save-masks") { Description = "Also write every frame's class-index mask, DIR/<stem>/masks/NNNNNN.png." };
        var overlayVideo = new Option<bool>("--overlay-video") { Description = "Also write the overlay of every frame, DIR/<stem>/overlay.mp4." };
        var force = new Option<bool>("--force") { Description = "Redo trips that are already finished (they are skipped otherwise)." };
        var parallel = new Option<int>("--parallel") { Description = "Files through the pipeline at once (0: the larger of Pipeline:BatchSize and a quarter of the cores)." };
        var config = new Option<string?>("--config")
        {
            Description = $"A configuration file read in place of {ConfigurationLayers.SiteFile} (over the default appsettings.json): model, pipeline, scene, report.",
        };
        var command = new Command("process", "Process recorded drives: every frame of every file through the service's own pipeline, unpaced; per file "
            + "metrics.jsonl and events.jsonl (what the service publishes), summary.json with a driver-safety score, and report.html. "
            + "Any --Section:Key=value overrides the configuration (e.g. --Model:Providers=cpu --Report:Score:LaneDeparturePerHour=2).")
        {
            input, output, saveMasks, overlayVideo, force, parallel, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;

        // Synchronous on purpose (as run): Ctrl+C stops the pipeline, and the trip in progress stays partial.
        command.SetAction(result =>
        {
            var request = new ProcessRequest
            {
                Inputs = result.GetValue(input) ?? [],
                OutputDirectory = result.GetValue(output)!,
                Options = new TripOptions(result.GetValue(saveMasks), result.GetValue(overlayVideo)),
                Force = result.GetValue(force),
                Parallel = result.GetValue(parallel),
                ConfigFile = result.GetValue(config),
                Overrides = result.UnmatchedTokens,
            };
            if (request.Parallel < 0)
            {
                Console.Error.WriteLine($"process: --parallel {request.Parallel} must be 0 or more.");
                return ExitCodes.InvalidConfiguration;
            }

            // Into a file or a pipe: plain text, no colour codes and no live bars (a progress line every few seconds).
            var console = Console.IsOutputRedirected
                ? AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Out = new AnsiConsoleOutput(Console.Out),
                    Ansi = AnsiSupport.No,
                    ColorSystem = ColorSystemSupport.NoColors,
                    Interactive = InteractionSupport.No,
                })
                : AnsiConsole.Console;
            return Run(request, console, Console.Error);
        });
        return command;
    }

    /// <summary>Runs <paramref name="request"/> until done or Ctrl+C; returns the exit code.</summary>
    public static int Run(ProcessRequest request, IAnsiConsole console, TextWriter error)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return new ProcessRunner(request, console, error).RunAsync(cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            error.WriteLine("process: interrupted; finished trips are kept, the one in progress is redone by the next run.");
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
