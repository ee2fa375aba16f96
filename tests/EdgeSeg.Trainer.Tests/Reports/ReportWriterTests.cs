using System.Xml.Linq;
using EdgeSeg.Core.Evaluation;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Evaluation;
using EdgeSeg.Trainer.Reports;

namespace EdgeSeg.Trainer.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Write_History_WritesEveryFileWithChartsOfEachSeries()
    {
        var history = new TrainingHistory();
        for (var e = 1; e <= 6; e++)
        {
            history.Add(new EpochRecord(e, 1.5 / e, 1e-3 * (1 - (e / 7.0)), 12.5, 30, 0.1 * e, [0.8, 0.1 * e, 0.05 * e, double.NaN, 0.02 * e]));
        }

        var matrix = new ConfusionMatrix(5);
        matrix.Accumulate(new byte[] { 0, 1, 2, 3, 4, 255 }, new byte[] { 0, 1, 2, 0, 4, 3 }, 6);
        var summary = new RunSummary("edgeseg-train train --data a", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(75), "models/x.onnx", 6,
            [EvaluationResult.From("camvid", "val", 1, matrix, []) with
            {
                Objects = [new ObjectRecall("pedestrian", [new ObjectRecallBand(0, 16, 4, 1, 30, 12), new ObjectRecallBand(16, null, 2, 2, 50, 45)])],
            }],
            ["U-Net depth 2"]);
        var frame = new ImageBuffer(32, 24, 3);
        frame.Pixels.Fill(200);
        var truth = Enumerable.Range(0, 32 * 24).Select(i => (byte)(i % 32 / 7)).ToArray();
        truth[0] = 255;
        var grid = PredictionGrid.Compose([(frame, truth, truth), (frame, truth, new byte[32 * 24])]);

        ReportWriter.Write(_dir, history, summary, grid);

        foreach (var file in ReportWriter.Files)
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }

        var validation = XDocument.Load(Path.Combine(_dir, "validation.svg"));
        XNamespace svg = "http://www.w3.org/2000/svg";
        // mIoU plus the four classes with values (pedestrian is all NaN and left out).
        Assert.Equal(5, validation.Descendants(svg + "polyline").Count());
        Assert.Contains(validation.Descendants(svg + "text"), t => t.Value == "lane_marking IoU");
        Assert.Single(XDocument.Load(Path.Combine(_dir, "loss.svg")).Descendants(svg + "polyline"));
        Assert.Single(XDocument.Load(Path.Combine(_dir, "learning-rate.svg")).Descendants(svg + "polyline"));
        var html = File.ReadAllText(Path.Combine(_dir, "index.html"));
        Assert.All(ReportWriter.Files.Where(f => f != "index.html"), f => Assert.Contains($"href=\"{f}\"", html, StringComparison.Ordinal));
        Assert.Contains("edgeseg-train train --data a", File.ReadAllText(Path.Combine(_dir, "command.txt")), StringComparison.Ordinal);
        Assert.Contains("took 1m 15s", File.ReadAllText(Path.Combine(_dir, "command.txt")), StringComparison.Ordinal);
        var classes = File.ReadAllText(Path.Combine(_dir, "classes.md"));
        Assert.Contains("| road | 1.0000 | 1.0000 | 1.0000 | 1 |", classes, StringComparison.Ordinal);
        Assert.Contains("| pedestrian | 0-15 px | 4 | 1 (25%) | 0.4000 |", classes, StringComparison.Ordinal);
        Assert.Contains("<tr><td>pedestrian</td><td>16+ px</td><td>2</td><td>2 (100%)</td><td>0.9000</td></tr>", html, StringComparison.Ordinal);
        var png = CvImage.Read(Path.Combine(_dir, "samples.png"));
        // 32-pixel cells are enlarged 10x to reach the 320-pixel minimum cell width.
        Assert.Equal(((320 * 3) + 16, (240 * 2) + 12), (png.Width, png.Height));
        Assert.Equal(6, TrainingHistory.Load(Path.Combine(_dir, "history.json")).Epochs.Count);
    }

    [Theory]
    [InlineData(0, 1, 6, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1.0 })]
    [InlineData(1, 7, 8, new[] { 1.0, 2, 3, 4, 5, 6, 7 })]
    [InlineData(0.00031, 0.00097, 6, new[] { 0.0002, 0.0004, 0.0006, 0.0008, 0.001 })]
    public void Ticks_Range_RoundSteps(double min, double max, int target, double[] expected)
    {
        var ticks = SvgLineChart.Ticks(min, max, target, integer: false);

        Assert.Equal(expected.Length, ticks.Length);
        for (var i = 0; i < ticks.Length; i++)
        {
            Assert.Equal(expected[i], ticks[i], 9);
        }
    }
}
