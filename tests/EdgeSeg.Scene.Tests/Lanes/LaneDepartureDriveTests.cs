using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;
using EdgeSeg.TestSupport.Synthetic;
using Xunit.Abstractions;

namespace EdgeSeg.Scene.Tests.Lanes;

/// <summary>
/// Synthetic drives with dashed lane lines and lane changes, fed as exact masks through the analyser and the event
/// tracker the service uses (default options): one lane departure per lane change, on the right side, none otherwise.
/// </summary>
public class LaneDepartureDriveTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Update_ExactMasksOfDriveWithLaneChanges_OneDeparturePerChangeInItsDirection(int seed)
    {
        using var drive = await SyntheticDrive.RenderAsync(seed, 20, 15);
        Assert.NotEmpty(drive.LaneChanges);

        var options = new SceneOptions();
        var analyzer = new SceneAnalyzer(options);
        var tracker = new EventTracker(options, "drive");
        var starts = new List<(int Frame, SceneEvent Event)>();
        var found = 0;
        for (var i = 0; i < drive.Frames; i++)
        {
            var (width, height, pixels) = Support.GrayPng.Read(drive.MaskPath(i));
            var metrics = analyzer.Analyze(pixels, width, height, T0.AddSeconds((double)i / drive.Fps));
            found += metrics.Lane.Status == LaneStatus.Found ? 1 : 0;
            foreach (var e in tracker.Update(metrics))
            {
                if (e.Type == SceneEventType.LaneDeparture && e.Phase == SceneEventPhase.Start)
                {
                    var startFrame = (int)Math.Round((e.StartTime - T0).TotalSeconds * drive.Fps);
                    starts.Add((startFrame, e));
                    output.WriteLine($"frame {i}: departure from frame {startFrame}, value {e.Value:F3}");
                }
            }
        }

        foreach (var change in drive.LaneChanges)
        {
            output.WriteLine($"lane change {change.StartFrame}-{change.EndFrame}, crossing {change.CrossingFrame}, direction {change.Direction}");
        }

        // The lane is followed through the dashes' gaps rather than flickering.
        Assert.True(found >= 0.95 * drive.Frames, $"lane found on {found} of {drive.Frames} frames");

        // Exactly one departure per lane change, starting inside it and signed by its direction (negative = left);
        // none while the car keeps its lane.
        Assert.Equal(drive.LaneChanges.Count, starts.Count);
        foreach (var change in drive.LaneChanges)
        {
            var (frame, e) = Assert.Single(starts, s => s.Frame >= change.StartFrame && s.Frame <= change.EndFrame);
            Assert.Equal(change.Direction, Math.Sign(e.Value));
            Assert.InRange(frame, change.StartFrame, change.CrossingFrame);
        }
    }
}
