using System.Text.Json;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Cli;
using Spectre.Console;

namespace EdgeSeg.Trainer.Tests.Evaluation;

/// <summary>
/// eval through the real segmenter and ONNX Runtime on colour-classes.onnx, whose prediction for each pure colour is
/// known (black background, red road, green vehicle, blue pedestrian, white lane_marking), so every count is exact.
/// </summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string Model = Path.Combine(AppContext.BaseDirectory, "Evaluation", "Fixtures", "colour-classes.onnx");

    // Row 0: black, red, green, blue; row 1: white, red, red, black (BGR).
    private static readonly byte[][] Colours =
    [
        [0, 0, 0], [0, 0, 255], [0, 255, 0], [255, 0, 0],
        [255, 255, 255], [0, 0, 255], [0, 0, 255], [0, 0, 0],
    ];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Source classes 0..4 are the appliance classes (or, with lane markings unlabelled, 4 means road); 9 is ignored.
    private void WriteDataset(bool laneUnlabelled, byte[] mask)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "images"));
        Directory.CreateDirectory(Path.Combine(_dir, "masks"));
        var mapping = string.Join(',', Enumerable.Range(0, 5).Select(i => $"{{\"source_index\":{i},\"appliance_index\":{(laneUnlabelled && i == 4 ? 1 : i)}}}"));
        var classes = string.Join(',', Enumerable.Range(0, 5).Select(i => $"{{\"index\":{i},\"name\":\"s{i}\"}}"));
        var unlabelled = laneUnlabelled ? "{\"lane_marking\":\"road\"}" : "{}";
        File.WriteAllText(Path.Combine(_dir, "classes.json"),
            $"{{\"dataset\":\"colours\",\"classes\":[{classes}],\"proposed_mapping\":[{mapping}],\"ignore_label_in_source\":9,\"unlabelled_appliance_classes\":{unlabelled}}}");
        var image = new ImageBuffer(4, 2, 3);
        for (var i = 0; i < 8; i++)
        {
            Colours[i].CopyTo(image.Pixels.Slice(i * 3, 3));
        }

        CvImage.Write(Path.Combine(_dir, "images", "a.png"), image);
        CvImage.Write(Path.Combine(_dir, "masks", "a.png"), new ImageBuffer(4, 2, 1, mask));
        File.WriteAllText(Path.Combine(_dir, "test.txt"), "a\n");
    }

    private Task<(int Code, string Output, JsonElement Json)> Eval() => Eval(null, null);

    private async Task<(int Code, string Output, JsonElement Json)> Eval(string? reference, string? referenceCard)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 160;
        var json = Path.Combine(_dir, "out", "scores.json");
        var code = await EvalCommand.RunAsync(new EvalSettings(Model, null, _dir, "test", json, 1, ["cpu"], reference, referenceCard), console, CancellationToken.None);
        var output = writer.ToString();
        Assert.True(code == 0, output);
        return (code, output, JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone());
    }

    [Fact]
    public async Task RunAsync_KnownPredictions_GivesExactTableAndJson()
    {
        // Truth row 0: bg, road, vehicle, vehicle; row 1: lane, road, ignored, pedestrian.
        WriteDataset(laneUnlabelled: false, [0, 1, 2, 2, 4, 1, 9, 3]);

        var (_, output, json) = await Eval();

        // Pairs (truth, predicted): (0,0) (1,1) (2,2) (2,3) (4,4) (1,1) (3,0); the ignored pixel is not counted.
        long[][] confusion = [[1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 1, 1, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]];
        Assert.Equal(confusion, json.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray());
        Assert.Equal(Math.Round(5.0 / 7, 6), json.GetProperty("pixelAccuracy").GetDouble());
        Assert.Equal(0.6, json.GetProperty("mIoU").GetDouble()); // (0.5 + 1 + 0.5 + 0 + 1) / 5
        var perClass = json.GetProperty("perClass").EnumerateArray().ToArray();
        Assert.Equal(["background", "road", "vehicle", "pedestrian", "lane_marking"], perClass.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([0.5, 1, 0.5, 0, 1], perClass.Select(c => c.GetProperty("iou").GetDouble()));
        Assert.Equal([0.5, 1, 1, 0, 1], perClass.Select(c => c.GetProperty("precision").GetDouble()));
        Assert.Equal([1, 1, 0.5, 0, 1], perClass.Select(c => c.GetProperty("recall").GetDouble()));
        Assert.Equal([1L, 2, 2, 1, 1], perClass.Select(c => c.GetProperty("pixels").GetInt64()));
        Assert.Contains("pixel accuracy 0.7143   mIoU 0.6000", output, StringComparison.Ordinal);
        Assert.Matches(@"vehicle\s*│\s*0\.5000\s*│\s*1\.0000\s*│\s*0\.5000\s*│\s*2", output);

        // One vehicle region (2 px, 1 row, half recalled: found) and one pedestrian pixel (missed), both under 16 px.
        var objects = json.GetProperty("objectRecall").EnumerateArray().ToArray();
        Assert.Equal(["vehicle", "pedestrian"], objects.Select(o => o.GetProperty("name").GetString()));
        var small = objects.Select(o => o.GetProperty("bands")[0]).ToArray();
        Assert.Equal([(0, 16, 1L, 1L, 2L, 1L), (0, 16, 1L, 0L, 1L, 0L)], small.Select(b => (
            b.GetProperty("minHeight").GetInt32(), b.GetProperty("endHeight").GetInt32(), b.GetProperty("objects").GetInt64(),
            b.GetProperty("found").GetInt64(), b.GetProperty("pixels").GetInt64(), b.GetProperty("recalledPixels").GetInt64())));
        Assert.Equal(JsonValueKind.Null, objects[0].GetProperty("bands")[4].GetProperty("endHeight").ValueKind);
        Assert.Matches(@"vehicle\s*│\s*0-15 px\s*│\s*1\s*│\s*1 \(100%\)\s*│\s*0\.5000", output);
        Assert.Matches(@"pedestrian\s*│\s*0-15 px\s*│\s*1\s*│\s*0 \(0%\)\s*│\s*0\.0000", output);
    }

    [Fact]
    public async Task RunAsync_DatasetWithoutLaneLabels_CountsLanePredictionAsRoadAndLeavesLaneOutOfMIoU()
    {
        // Same pixels; source 4 now means road, as in CamVid where lane markings are labelled road.
        WriteDataset(laneUnlabelled: true, [0, 1, 2, 2, 4, 1, 9, 3]);

        var (_, output, json) = await Eval();

        // The white pixel (truth road) is predicted lane_marking and counts as road: road is 3 of 3.
        long[][] confusion = [[1, 0, 0, 0, 0], [0, 3, 0, 0, 0], [0, 0, 1, 1, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0]];
        Assert.Equal(confusion, json.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray());
        Assert.Equal(0.5, json.GetProperty("mIoU").GetDouble()); // (0.5 + 1 + 0.5 + 0) / 4
        Assert.Equal(["lane_marking"], json.GetProperty("excludedFromMIoU").EnumerateArray().Select(e => e.GetString()));
        var lane = json.GetProperty("perClass")[4];
        Assert.Equal(JsonValueKind.Null, lane.GetProperty("iou").ValueKind);
        Assert.False(lane.GetProperty("labelled").GetBoolean());
        Assert.Contains("not labelled; not in mIoU", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReferenceIsTheSameModel_AllPixelsAgree()
    {
        WriteDataset(laneUnlabelled: false, [0, 1, 2, 2, 4, 1, 9, 3]);

        var (_, output, json) = await Eval(Model, null);

        // Every pixel counts, the ignored one too.
        var agreement = json.GetProperty("agreement");
        Assert.Equal(Model, agreement.GetProperty("reference").GetString());
        Assert.Equal((8L, 8L, 1.0, 1.0), (agreement.GetProperty("pixels").GetInt64(), agreement.GetProperty("equal").GetInt64(),
            agreement.GetProperty("share").GetDouble(), agreement.GetProperty("lowestImage").GetDouble()));
        Assert.Contains("masks equal to colour-classes.onnx's on 100.000% of 8 pixels (lowest image 100.000%)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReferenceCardSwapsRoadAndVehicle_RedAndGreenPixelsDisagree()
    {
        WriteDataset(laneUnlabelled: false, [0, 1, 2, 2, 4, 1, 9, 3]);
        var swapped = Path.Combine(_dir, "swapped.json");
        File.WriteAllText(swapped, File.ReadAllText(Path.ChangeExtension(Model, ".json"))
            .Replace("\"road\"", "\"tmp\"", StringComparison.Ordinal)
            .Replace("\"vehicle\"", "\"road\"", StringComparison.Ordinal)
            .Replace("\"tmp\"", "\"vehicle\"", StringComparison.Ordinal));

        var (_, output, json) = await Eval(Model, swapped);

        // Three red pixels (road against vehicle) and one green one (vehicle against road) of 8 differ; the model's
        // own scores are those of the first test.
        var agreement = json.GetProperty("agreement");
        Assert.Equal((8L, 4L, 0.5, 0.5), (agreement.GetProperty("pixels").GetInt64(), agreement.GetProperty("equal").GetInt64(),
            agreement.GetProperty("share").GetDouble(), agreement.GetProperty("lowestImage").GetDouble()));
        Assert.Equal(0.6, json.GetProperty("mIoU").GetDouble());
        Assert.Contains("masks equal to colour-classes.onnx's on 50.000% of 8 pixels (lowest image 50.000%)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BrokenDataset_ListsProblemsAndFails()
    {
        WriteDataset(laneUnlabelled: false, [0, 1, 2, 2, 4, 1, 7, 3]);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });

        var code = await EvalCommand.RunAsync(new EvalSettings(Model, null, _dir, "test", null, 1, ["cpu"]), console, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("7 (1 px, first at x=2, y=1)", writer.ToString(), StringComparison.Ordinal);
    }
}
