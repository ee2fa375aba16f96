using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Synthesis;
using Spectre.Console;

namespace EdgeSeg.Trainer.Cli;

/// <summary>
/// <c>edgeseg-train synth</c>: renders procedural dashcam scenes with exact masks, as a dataset of stills or, with
/// <c>--video</c>, as a drive encoded to H.264 with per-frame masks and a lane-change sidecar.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out")
        {
            Description = "Output folder. Stills: images/<stem>.jpg, masks/<stem>.png, train.txt, val.txt, test.txt, classes.json. "
                + "Video: masks/<frame>.png (000000.png ...) and classes.json.",
            Required = true,
        };
        var countOption = new Option<int?>("--count") { Description = "Number of still images to render (required without --video)." };
        var sizeOption = new Option<string>("--size") { Description = "Image size WxH.", DefaultValueFactory = _ => "640x360" };
        var seedOption = new Option<ulong>("--seed") { Description = "Seed: the same seed renders the same files.", DefaultValueFactory = _ => 1UL };
        var videoOption = new Option<string?>("--video") { Description = "Render a drive to this MP4 (H.264) instead of stills; a sidecar <clip>.json lists the lane changes." };
        var secondsOption = new Option<double>("--seconds") { Description = "Length of the drive (with --video).", DefaultValueFactory = _ => 20.0 };
        var fpsOption = new Option<double>("--fps") { Description = "Frame rate of the drive (with --video).", DefaultValueFactory = _ => 15.0 };
        var closeInOption = new Option<double?>("--close-in")
        {
            Description = "With --video: from this second, a slower car appears ahead in the ego lane and the ego car closes in on it until it pulls away (sidecar: close_in, lead_gap_m).",
        };
        var threadsOption = new Option<int>("--threads") { Description = "Stills rendered in parallel.", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("synth", "Render synthetic dashcam scenes with exact masks (road, vehicles, pedestrians, lane markings) "
            + "as a dataset in the trainer's format, or a drive as an H.264 clip with per-frame masks and lane changes.")
        {
            outOption, countOption, sizeOption, seedOption, videoOption, secondsOption, fpsOption, closeInOption, threadsOption,
        };
        command.SetAction(parse =>
        {
            try
            {
                var size = parse.GetValue(sizeOption) ?? "640x360";
                var (width, height) = ParseSize(size);
                var output = parse.GetValue(outOption)!;
                var seed = parse.GetValue(seedOption);
                var video = parse.GetValue(videoOption);
                return video is null
                    ? RenderStills(output, parse.GetValue(countOption), width, height, seed, parse.GetValue(threadsOption))
                    : RenderVideo(output, video, parse.GetValue(secondsOption), parse.GetValue(fpsOption), width, height, seed, parse.GetValue(closeInOption));
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]synth:[/] {e.Message}");
                return 2;
            }
            catch (AggregateException e)
            {
                // Parallel rendering wraps what its workers threw; the first cause is the useful message.
                AnsiConsole.MarkupLineInterpolated($"[red]synth failed:[/] {e.Flatten().InnerExceptions[0].Message}");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException
                or OpenCvException or DllNotFoundException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]synth failed:[/] {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Parses WxH (each 32..8192).</summary>
    /// <exception cref="ArgumentException">The text is not a valid size; the message names it.</exception>
    public static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h))
        {
            throw new ArgumentException($"--size '{text}' is not WIDTHxHEIGHT (for example 640x360).");
        }

        if (w is < 32 or > 8192 || h is < 32 or > 8192)
        {
            throw new ArgumentException($"--size {w}x{h} is out of range: width and height must be 32..8192.");
        }

        return (w, h);
    }

    private static int RenderStills(string output, int? count, int width, int height, ulong seed, int threads)
    {
        if (count is not { } n || n <= 0)
        {
            throw new ArgumentException(count is null ? "--count is required without --video." : $"--count {count} must be at least 1.");
        }

        if (threads <= 0)
        {
            throw new ArgumentException($"--threads {threads} must be at least 1.");
        }

        var watch = Stopwatch.StartNew();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"rendering {n} scenes", maxValue: n);
                var gate = new Lock();
                DatasetRenderer.Render(output, n, width, height, seed, threads, () =>
                {
                    lock (gate)
                    {
                        task.Increment(1);
                    }
                });
            });
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"wrote {n} images and masks ({width}x{height}, seed {seed}) to [bold]{output}[/] in {watch.Elapsed.TotalSeconds:F1} s ({n / watch.Elapsed.TotalSeconds:F1} images/s)");
        return 0;
    }

    private static int RenderVideo(string output, string clip, double seconds, double fps, int width, int height, ulong seed, double? closeInAt)
    {
        if (closeInAt is { } at && (at < 0 || at >= seconds))
        {
            throw new ArgumentException($"--close-in {at} must be a second within the drive (0 to {seconds}).");
        }

        if (!(seconds > 0) || seconds > 3600)
        {
            throw new ArgumentException($"--seconds {seconds} must be above 0 and at most 3600.");
        }

        if (!(fps > 0) || fps > 120)
        {
            throw new ArgumentException($"--fps {fps} must be above 0 and at most 120.");
        }

        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"--size {width}x{height}: H.264 (yuv420p) needs an even width and height.");
        }

        var frames = Math.Max(1, (int)Math.Round(seconds * fps));
        var watch = Stopwatch.StartNew();
        IReadOnlyList<LaneChange> changes = [];
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"rendering {frames} frames", maxValue: frames);
                changes = DriveRenderer.Render(clip, output, frames, fps, width, height, seed, () => task.Increment(1), closeInAt);
            });
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"wrote [bold]{clip}[/] ({frames} frames, {width}x{height} at {fps} fps, {changes.Count} lane changes), masks in {output}, sidecar {DriveRenderer.SidecarPath(clip)} in {watch.Elapsed.TotalSeconds:F1} s ({frames / watch.Elapsed.TotalSeconds:F1} frames/s)");
        return 0;
    }
}
