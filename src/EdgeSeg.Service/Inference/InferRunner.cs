using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Service.Cli;
using Spectre.Console;

namespace EdgeSeg.Service.Inference;

/// <summary>
/// <c>edgeseg infer</c>'s work: segments images (mask and overlay PNGs) and videos (a metrics line per frame, masks on
/// request) and ends with a summary table. Writes progress and results to the given writers; returns the exit code.
/// </summary>
internal static class InferRunner
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"];

    public static int Run(InferRequest request, TextWriter output, TextWriter error)
    {
        var inputs = new List<string>();
        foreach (var input in request.Inputs)
        {
            if (Directory.Exists(input))
            {
                inputs.AddRange(Directory.EnumerateFiles(input).Where(f => IsImage(f) || IsVideo(f)).Order(StringComparer.Ordinal));
            }
            else if (!File.Exists(input))
            {
                error.WriteLine($"infer: input {Path.GetFullPath(input)} does not exist.");
                return ExitCodes.SourceUnavailable;
            }
            else if (!IsImage(input) && !IsVideo(input))
            {
                error.WriteLine($"infer: input {input} is neither an image ({string.Join(", ", ImageExtensions)}) nor a video ({string.Join(", ", VideoExtensions)}).");
                return ExitCodes.SourceUnavailable;
            }
            else
            {
                inputs.Add(input);
            }
        }

        if (inputs.Count == 0)
        {
            error.WriteLine("infer: no image or video among the inputs.");
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
                    stats.Add(IsImage(input)
                        ? SegmentImage(segmenter, input, request)
                        : SegmentVideo(segmenter, input, request, output));
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

    private static InputStats SegmentVideo(Segmenter segmenter, string path, InferRequest request, TextWriter output)
    {
        using var capture = VideoCapture.Open(path);
        var frame = new ImageBuffer(capture.Width, capture.Height, 3);
        var (mask, maskImage) = NewMask(capture.Width, capture.Height);
        var stem = Path.GetFileNameWithoutExtension(path);
        var maskDirectory = Path.Combine(request.OutputDirectory, stem + ".masks");
        if (request.SaveMasks)
        {
            Directory.CreateDirectory(maskDirectory);
        }

        var stats = new InputStats(Path.GetFileName(path));
        var counts = new long[ApplianceClasses.Count];
        using var metrics = new FileStream(Path.Combine(request.OutputDirectory, stem + ".metrics.jsonl"), FileMode.Create, FileAccess.Write);
        using var json = new Utf8JsonWriter(metrics);
        var total = Math.Max(0, capture.FrameCount);

        void Loop(Action<int>? progress)
        {
            var index = 0;
            while (capture.Read(frame, out var timestamp))
            {
                segmenter.Segment(frame, mask);
                stats.Add(mask, segmenter.LastTimings, counts);
                WriteMetrics(json, metrics, index, timestamp, segmenter.LastTimings, counts, mask.PixelCount);
                if (request.SaveMasks)
                {
                    CvImage.Write(Path.Combine(maskDirectory, string.Create(CultureInfo.InvariantCulture, $"{index:D6}.mask.png")), maskImage);
                }

                index++;
                progress?.Invoke(index);
            }
        }

        if (request.ShowProgress && total > 0)
        {
            AnsiConsole.Progress().AutoClear(true).Start(context =>
            {
                var task = context.AddTask(Path.GetFileName(path), maxValue: total);
                Loop(i => task.Value = i);
            });
        }
        else
        {
            Loop(null);
        }

        output.WriteLine($"{path}: {stats.Frames} frames -> {Path.Combine(request.OutputDirectory, stem + ".metrics.jsonl")}");
        return stats;
    }

    private static void WriteMetrics(Utf8JsonWriter json, Stream stream, int index, double timestamp, SegmentTimings timings, long[] counts, int pixels)
    {
        json.Reset(stream);
        json.WriteStartObject();
        json.WriteNumber("frame", index);
        if (timestamp >= 0)
        {
            json.WriteNumber("timestampMs", Math.Round(timestamp, 3));
        }

        json.WriteStartObject("ms");
        json.WriteNumber("preprocess", Math.Round(timings.Preprocess.TotalMilliseconds, 3));
        json.WriteNumber("inference", Math.Round(timings.Inference.TotalMilliseconds, 3));
        json.WriteNumber("postprocess", Math.Round(timings.Postprocess.TotalMilliseconds, 3));
        json.WriteEndObject();
        json.WriteStartObject("coverage");
        for (var c = 0; c < counts.Length; c++)
        {
            json.WriteNumber(ApplianceClasses.All[c].Name, Math.Round((double)counts[c] / pixels, 6));
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
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
