using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class DriveSimulatorTests
{
    private static DriveSimulator Run(ulong seed, int frames)
    {
        var sim = new DriveSimulator(seed, 320, 180, 15f, frames);
        for (var i = 0; i < frames; i++)
        {
            sim.Next();
        }

        return sim;
    }

    [Fact]
    public void Next_TwentySeconds_ChangesLaneSeveralTimesWithConsistentRanges()
    {
        const int frames = 300;
        var sim = Run(1, frames);
        Assert.True(sim.LaneChanges.Count >= 2, $"{sim.LaneChanges.Count} lane changes in 20 s");
        var previousEnd = -1;
        foreach (var change in sim.LaneChanges)
        {
            Assert.True(change.StartFrame > previousEnd);
            Assert.InRange(change.CrossingFrame, change.StartFrame + 1, change.EndFrame);
            Assert.Equal(1, Math.Abs(change.ToLane - change.FromLane));
            Assert.Equal(change.ToLane < change.FromLane ? "left" : "right", change.Direction);

            // The camera is on the from-lane's centre before, crosses the boundary exactly at the crossing frame,
            // and sits on the to-lane's centre from the end frame on.
            var from = sim.Layout.LaneCentre(change.FromLane);
            var to = sim.Layout.LaneCentre(change.ToLane);
            var boundary = (from + to) / 2;
            if (change.StartFrame > 0)
            {
                Assert.Equal(from, sim.CameraOffsets[change.StartFrame - 1], 3);
            }

            Assert.Equal(to, sim.CameraOffsets[change.EndFrame], 3);
            Assert.True(Math.Sign(sim.CameraOffsets[change.CrossingFrame] - boundary) == Math.Sign(to - boundary));
            Assert.True(Math.Sign(sim.CameraOffsets[change.CrossingFrame - 1] - boundary) != Math.Sign(to - boundary));
            previousEnd = change.EndFrame;
        }

        // No lateral movement outside the recorded changes.
        for (var i = 1; i < frames; i++)
        {
            var moving = Math.Abs(sim.CameraOffsets[i] - sim.CameraOffsets[i - 1]) > 1e-5;
            var inChange = sim.LaneChanges.Any(c => i >= c.StartFrame && i <= c.EndFrame);
            Assert.True(!moving || inChange, $"camera moved sideways at frame {i} outside every lane change");
        }
    }

    [Fact]
    public void Next_SameSeed_SameDrive()
    {
        var a = Run(4, 120);
        var b = Run(4, 120);
        Assert.Equal(a.LaneChanges, b.LaneChanges);
        Assert.Equal(a.CameraOffsets, b.CameraOffsets);
    }
}
