using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Tests.Lanes;

/// <summary>
/// Lane changes over dashed lines rendered in code (<see cref="PerspectiveDrive"/>): the lane is followed through the
/// dashes' gaps, the offset turns over at the crossing, and one departure per change is raised on the right side.
/// </summary>
public class LaneChangeTests
{
    private const int Fps = 15;
    private const double LaneWidth = 3.5;
    private const double ChangeSeconds = 2.8;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Two lanes between a solid edge on each side and a dashed line between them; the car starts in the right lane.
    private static readonly (double X, bool Dashed)[] Lines = [(-LaneWidth, false), (0, true), (LaneWidth, false)];

    [Theory]
    [InlineData(12.0, 0.0, 3.0, 11.0)]
    [InlineData(14.5, 4.2, 4.5, 12.5)]
    public void Update_TwoLaneChangesOverDashedLine_OneDepartureEachSignedByDirection(double speed, double dashPhase, double leftAt, double rightAt)
    {
        var drive = new PerspectiveDrive(640, 360, 165.6, 512, 1.35);
        var options = new SceneOptions();
        var analyzer = new SceneAnalyzer(options);
        var tracker = new EventTracker(options, "drive");
        var starts = new List<(double Time, double Value)>();
        var offsets = new List<double?>();
        var frames = 16 * Fps;
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / Fps;

            // Right lane centre (+1.75) to the left lane centre (-1.75) and back, each over 2.8 s with a cosine profile.
            var cameraX = (LaneWidth / 2) - (LaneWidth * Progress(t - leftAt)) + (LaneWidth * Progress(t - rightAt));
            var mask = drive.Render(cameraX, dashPhase + (speed * t), Lines);
            var metrics = analyzer.Analyze(mask, drive.Width, drive.Height, T0.AddSeconds(t));
            offsets.Add(metrics.Lane.LateralOffset);
            foreach (var e in tracker.Update(metrics))
            {
                if (e.Type == SceneEventType.LaneDeparture && e.Phase == SceneEventPhase.Start)
                {
                    starts.Add(((e.StartTime - T0).TotalSeconds, e.Value));
                }
            }

            // Steady in lane the offset is exact to a few hundredths, whatever the dashes do, once the dashed line has
            // been seen long enough to be taken for a boundary (the first second).
            if (t >= 1 && Progress(t - leftAt) is 0 or 1 && Progress(t - rightAt) is 0 or 1)
            {
                Assert.Equal(LaneStatus.Found, metrics.Lane.Status);
                Assert.InRange(metrics.Lane.LateralOffset!.Value, -0.03, 0.03);
            }
        }

        Assert.Equal(2, starts.Count);
        Assert.InRange(starts[0].Time, leftAt, leftAt + ChangeSeconds);
        Assert.True(starts[0].Value < -0.3, $"left departure value {starts[0].Value}");
        Assert.InRange(starts[1].Time, rightAt, rightAt + ChangeSeconds);
        Assert.True(starts[1].Value > 0.3, $"right departure value {starts[1].Value}");

        // At the left crossing the offset runs to the left line (-0.5) and continues from the right one (+0.5).
        var crossing = (int)Math.Round((leftAt + (ChangeSeconds / 2)) * Fps);
        Assert.InRange(offsets[crossing - 2]!.Value, -0.5, -0.4);
        Assert.InRange(offsets[crossing + 2]!.Value, 0.4, 0.5);
    }

    [Fact]
    public void Analyze_LaneChangesAfterAWarmUpDrive_AllocatesNothing()
    {
        // The first drive runs every path once (tracking, fits through the vanishing point, side changes, events);
        // the second, with a new analyser and tracker, is measured.
        var drive = new PerspectiveDrive(640, 360, 165.6, 512, 1.35);
        var masks = Enumerable.Range(0, 10 * Fps).Select(i =>
        {
            var t = (double)i / Fps;
            return drive.Render((LaneWidth / 2) - (LaneWidth * Progress(t - 3)) + (LaneWidth * Progress(t - 6.5)), 13 * t, Lines);
        }).ToArray();
        long allocated = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var options = new SceneOptions();
            var analyzer = new SceneAnalyzer(options);
            var tracker = new EventTracker(options, "drive");
            var departures = 0;
            for (var i = 0; i < masks.Length; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var metrics = analyzer.Analyze(masks[i], drive.Width, drive.Height, T0.AddSeconds((double)i / Fps));
                var events = tracker.Update(metrics);
                allocated += pass == 1 && i > 0 ? GC.GetAllocatedBytesForCurrentThread() - before : 0;
                foreach (var e in events)
                {
                    departures += e.Type == SceneEventType.LaneDeparture && e.Phase == SceneEventPhase.Start ? 1 : 0;
                }
            }

            Assert.Equal(2, departures);
        }

        Assert.Equal(0, allocated);
    }

    private static double Progress(double t) => t <= 0 ? 0 : t >= ChangeSeconds ? 1 : 0.5 - (0.5 * Math.Cos(Math.PI * t / ChangeSeconds));
}
