using System.Globalization;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.Service.Cli;
using Spectre.Console;

namespace EdgeSeg.Service.Inference;

/// <summary>
/// <c>edgeseg infer</c>'s work: segments images (mask and overlay PNGs) and ends with a summary table. Videos are
/// <c>edgeseg process</c>'s: given one, it says so with the command line to use and writes nothing; videos found in a
/// folder of images are left out with the same pointer. Writes progress and results to the given writers; returns the exit code.
/// </summary>
internal static class InferRunner
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"];

    public static int Run(InferRequest request, TextWriter output, TextWriter error)
    {
        var inputs = new List<string>();
        var videos = new List<string>();
        foreach (var input in request.Inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input).Order(StringComparer.Ordinal).ToArray();
                inputs.AddRange(files.Where(IsImage));
                videos.AddRange(files.Where(IsVideo));
            }
            else if (!File.Exists(input))
            {
                error.WriteLine($"infer: input {Path.GetFullPath(input)} does not exist.");
                return ExitCodes.SourceUnavailable;
            }
            else if (IsVideo(input))
            {
                videos.Add(input);
            }
            else if (!IsImage(input))
            {
                error.WriteLine($"infer: input {input} is neither an image ({string.Join(", ", ImageExtensions)}) nor a video ({string.Join(", ", VideoExtensions)}).");
                return ExitCodes.SourceUnavailable;
            }
            else
            {
                inputs.Add(input);
            }
        }

        if (videos.Count > 0)
        {
            // Videos go through the service's own pipeline, scene analyser and event tracker: one implementation of
            // the metrics the service publishes, not a thinner one here.
            var quoted = string.Join(" ", videos.Select(v => v.Contains(' ', StringComparison.Ordinal) ? $"'{v}'" : v));
            error.WriteLine($"infer: {string.Join(", ", videos.Select(Path.GetFileName))}: videos are processed by 'edgeseg process', which writes per frame "
                + "the metrics and events the service publishes, a trip summary and a report:");
            error.WriteLine($"  bin/edgeseg process --input {quoted} --out {request.OutputDirectory} --Model:Path={request.ModelPath}");
            if (inputs.Count == 0 || request.Inputs.Any(i => File.Exists(i) && IsVideo(i)))
            {
                error.WriteLine("infer: nothing was written.");
                return ExitCodes.InvalidConfiguration;
            }
        }

        if (inputs.Count == 0)
        {
            error.WriteLine("infer: no image among the inputs.");
            return ExitCodes.SourceUnavailable;
        }

        Directory.CreateDirectory(request.OutputDirectory);
        Segmenter segmenter;
        try
        {
            segmenter = OnnxRuntimeBackend.OpenSegmenter(request.ModelPath, request.CardPath, request.Options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidOperationException)
        {
            error.WriteLine($"infer: the model could not be loaded: {ex.Message}");
            return ExitCodes.ModelUnavailable;
        }

        using (segmenter)
        {
            output.WriteLine($"model {segmenter.Card.Name} ({request.ModelPath}, card {segmenter.CardSource}): {segmenter.Providers.Summary}");
            var stats = new List<InputStats>();
            foreach (var input in inputs)
            {
                try
                {
                    stats.Add(SegmentImage(segmenter, input, request));
                }
                catch (Exception ex) when (ex is OpenCvException or IOException)
                {
                    error.WriteLine($"infer: {input}: {ex.Message}");
                    return ExitCodes.SourceUnavailable;
                }
            }

            WriteSummary(output, segmenter, stats);
        }

        return ExitCodes.Ok;
    }

    private static InputStats SegmentImage(Segmenter segmenter, string path, InferRequest request)
    {
        var frame = CvImage.Read(path, ImageReadMode.Color);
        var (mask, maskImage) = NewMask(frame.Width, frame.Height);
        segmenter.Segment(frame, mask);
        var stem = Path.GetFileNameWithoutExtension(path);
        CvImage.Write(Path.Combine(request.OutputDirectory, stem + ".mask.png"), maskImage);
        var overlay = new ImageBuffer(frame.Width, frame.Height, 3);
        OverlayRenderer.Render(frame, mask, request.Alpha, overlay);
        CvImage.Write(Path.Combine(request.OutputDirectory, stem + ".overlay.png"), overlay);
        var stats = new InputStats(Path.GetFileName(path));
        stats.Add(mask, segmenter.LastTimings, stackalloc long[ApplianceClasses.Count]);
        return stats;
    }

    private static void WriteSummary(TextWriter output, Segmenter segmenter, List<InputStats> stats)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Wide enough for every column when the output is a file or a pipe (Spectre assumes 80 there).
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        var table = new Table().Title($"{segmenter.Card.Name} on {segmenter.Providers.Active}");
        table.AddColumns("input", "frames", "provider", "pre ms", "run ms", "post ms", "total ms");
        foreach (var cls in ApplianceClasses.All)
        {
            table.AddColumn(cls.Name + " %");
        }

        foreach (var s in stats)
        {
            var cells = new List<string>
            {
                s.Name,
                s.Frames.ToString(CultureInfo.InvariantCulture),
                segmenter.Providers.Active,
                F(s.PreprocessMs),
                F(s.InferenceMs),
                F(s.PostprocessMs),
                F(s.PreprocessMs + s.InferenceMs + s.PostprocessMs),
            };
            cells.AddRange(Enumerable.Range(0, ApplianceClasses.Count).Select(c => (100 * s.Coverage(c)).ToString("0.0", CultureInfo.InvariantCulture)));
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        console.Write(table);
    }

    private static string F(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);

    private static (Mask Mask, ImageBuffer Image) NewMask(int width, int height)
    {
        // One array seen as the mask and as a 1-channel image, so writing the PNG copies nothing.
        var data = new byte[width * height];
        return (new Mask(width, height, data), new ImageBuffer(width, height, 1, data));
    }

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static bool IsVideo(string path) => VideoExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
}
