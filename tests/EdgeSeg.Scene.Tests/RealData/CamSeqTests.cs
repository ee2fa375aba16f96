using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Serialization;
using EdgeSeg.Scene.Tests.Support;
using EdgeSeg.TestSupport;
using Xunit.Abstractions;

namespace EdgeSeg.Scene.Tests.RealData;

/// <summary>
/// The shared camseq01 ground truth: 85 frames at 15 Hz of a car driving in its lane (960x720), mapped to appliance
/// classes with the dataset's proposed mapping.
/// </summary>
public class CamSeqTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [SharedDataFact]
    public void Analyze_EveryFrameInOrder_MetricsComputedStableLaneAndNoDeparture()
    {
        var map = CamSeq.LoadClassMap();
        var options = new SceneOptions();
        var analyzer = new SceneAnalyzer(options);
        var tracker = new EventTracker(options, "camseq01");
        using var json = new SceneMetricsJsonWriter();
        var stems = CamSeq.Stems();
        var offsets = new List<double?>();
        var departures = 0;
        var obstructions = 0;
        for (var i = 0; i < stems.Count; i++)
        {
            var mask = CamSeq.LoadMask(stems[i], map);
            var m = analyzer.Analyze(mask, T0.AddSeconds(i / 15.0));

            Assert.Equal(mask.PixelCount, m.Coverage.Total);
            Assert.InRange(m.Quality.RoadFraction, 0.2, 0.4);
            var document = json.Write(m, "camseq01");
            if (i == 0)
            {
                output.WriteLine($"{document.Length} bytes: {System.Text.Encoding.UTF8.GetString(document.Span)}");
            }

            foreach (var e in tracker.Update(m))
            {
                departures += e.Type == SceneEventType.LaneDeparture ? 1 : 0;
                obstructions += e.Type == SceneEventType.CameraObstructed ? 1 : 0;
            }

            offsets.Add(m.Lane.LateralOffset);
            output.WriteLine($"{stems[i]} {m.Lane.Status} offset={m.Lane.LateralOffset:F3} width={m.Lane.WidthPixels:F0} conf={m.Lane.Confidence:F2} left={m.Lane.Left.XAtReference:F0}/{m.Lane.Left.Slope:F2}/{m.Lane.Left.SupportRows} right={m.Lane.Right.XAtReference:F0}/{m.Lane.Right.Slope:F2}/{m.Lane.Right.SupportRows} objects={m.Objects.Length}");
        }

        Assert.Equal(85, stems.Count);
        Assert.Equal(0, departures);
        Assert.Equal(0, obstructions);

        // The lane is found on most frames, and the offset moves smoothly: the car keeps its lane.
        var found = offsets.Count(o => o is not null);
        Assert.True(found >= 75, $"lane found on {found} of 85 frames");
        var steps = offsets.Zip(offsets.Skip(1)).Where(p => p.First is not null && p.Second is not null)
            .Select(p => Math.Abs(p.Second!.Value - p.First!.Value)).ToArray();
        var smooth = steps.Count(s => s <= 0.03);
        output.WriteLine($"{smooth} of {steps.Length} consecutive steps within 0.03; median step {steps.Order().ElementAt(steps.Length / 2):F4}");
        Assert.True(smooth >= 0.9 * steps.Length, $"only {smooth} of {steps.Length} steps within 0.03 lane widths");
        Assert.True(offsets.Where(o => o is not null).All(o => Math.Abs(o!.Value) < 0.5), "every offset is inside the lane");
    }
}
