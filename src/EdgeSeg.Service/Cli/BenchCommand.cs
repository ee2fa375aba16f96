using System.CommandLine;
using EdgeSeg.Service.Bench;
using EdgeSeg.Service.Inference;
using Spectre.Console;

namespace EdgeSeg.Service.Cli;

/// <summary>
/// <c>edgeseg bench --model M --input CLIP</c>: the end-to-end bench. Whole-service throughput and capture-to-publish
/// latency against ONNX Runtime's Run-only rate for the same model and threads, in one run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The ONNX model (its card beside it).", DefaultValueFactory = _ => "models/default.onnx" };
        var card = new Option<string?>("--card") { Description = "Its model card, when not beside the model." };
        var input = new Option<string>("--input") { Description = "The clip (or image folder) the service reads; it loops as long as a phase needs.", Required = true };
        var inference = new InferenceCommandOptions();
        var frames = new Option<int>("--frames") { Description = "Frames measured through the service, unpaced.", DefaultValueFactory = _ => 300 };
        var warmUp = new Option<int>("--warm-up") { Description = "Frames skipped before measuring.", DefaultValueFactory = _ => 20 };
        var runs = new Option<int>("--run-iterations") { Description = "Run calls measured for the Run-only rate.", DefaultValueFactory = _ => 100 };
        var latencyFrames = new Option<int>("--latency-frames") { Description = "Frames measured at the paced input rate (0: skip).", DefaultValueFactory = _ => 30 };
        var latencyFps = new Option<double>("--latency-fps") { Description = "Input rate of the latency phase.", DefaultValueFactory = _ => 1 };
        var soak = new Option<double>("--soak-minutes") { Description = "Minutes of the resident-memory soak, the clip paced at its own rate (0: skip; the goal is stated over 30).", DefaultValueFactory = _ => 0 };
        var mqtt = new Option<string?>("--mqtt") { Description = "A broker as host:port (default: a local mosquitto started for the run)." };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var command = new Command("bench", "The end-to-end bench: frames per second through the whole service and capture-to-publish latency "
            + "(p50, p95, p99), against ONNX Runtime's Run-only rate for the same model and threads, in one run; optionally resident memory over a soak.")
        {
            model, card, input, frames, warmUp, runs, latencyFrames, latencyFps, soak, mqtt, json,
        };
        inference.AddTo(command);
        command.SetAction(result =>
        {
            var request = new BenchRequest
            {
                ModelPath = result.GetValue(model)!,
                CardPath = result.GetValue(card),
                Input = result.GetValue(input)!,
                Inference = inference.Read(result, null),
                Frames = result.GetValue(frames),
                WarmUpFrames = result.GetValue(warmUp),
                RunIterations = result.GetValue(runs),
                LatencyFrames = result.GetValue(latencyFrames),
                LatencyFps = result.GetValue(latencyFps),
                SoakMinutes = result.GetValue(soak),
                Broker = result.GetValue(mqtt),
                JsonPath = result.GetValue(json),
            };
            return Run(request);
        });
        return command;
    }

    private static int Run(BenchRequest request)
    {
        var problems = Validate(request).ToList();
        if (problems.Count > 0)
        {
            problems.ForEach(Console.Error.WriteLine);
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            var result = new BenchRunner(request, Console.Out).RunAsync(CancellationToken.None).GetAwaiter().GetResult();
            AnsiConsole.Write(BenchReport.Render(result));
            if (request.JsonPath is { } path)
            {
                BenchReport.WriteJson(result, path);
                Console.WriteLine($"results: {Path.GetFullPath(path)}");
            }

            return ExitCodes.Ok;
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static IEnumerable<string> Validate(BenchRequest r)
    {
        if (!File.Exists(r.ModelPath))
        {
            yield return $"bench: --model '{r.ModelPath}' does not exist ({Path.GetFullPath(r.ModelPath)}).";
        }

        if (!r.Input.Contains("://", StringComparison.Ordinal) && !File.Exists(r.Input) && !Directory.Exists(r.Input))
        {
            yield return $"bench: --input '{r.Input}' does not exist ({Path.GetFullPath(r.Input)}).";
        }

        if (r.Frames < 2)
        {
            yield return $"bench: --frames {r.Frames} must be at least 2.";
        }

        if (r.WarmUpFrames < 0 || r.RunIterations < 1 || r.LatencyFrames < 0 || r.Inference.IntraOpThreads < 0)
        {
            yield return "bench: --warm-up, --latency-frames and --threads must be 0 or more, --run-iterations 1 or more.";
        }

        if (r.LatencyFps is <= 0 or > 1000)
        {
            yield return $"bench: --latency-fps {r.LatencyFps} must be above 0 and at most 1000.";
        }

        if (r.SoakMinutes < 0)
        {
            yield return $"bench: --soak-minutes {r.SoakMinutes} must be 0 or more.";
        }
    }
}
