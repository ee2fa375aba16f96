using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.LivePage;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Service.Tests.LivePage;

public sealed class LiveSourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_MoreEventsThanItKeeps_TheNewestFirst()
    {
        var source = new LiveSource("cam0");
        var ids = Enumerable.Range(0, LiveSource.EventCapacity + 3).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            source.Update(default(SceneFigures), 0.01, [new SceneEvent(ids[i], SceneEventType.VehicleClose, SceneEventPhase.Start, T0.AddSeconds(i), T0.AddSeconds(i), null, 0.8, 0.8, null)]);
        }

        var events = source.Read().Events;

        Assert.Equal(ids.Reverse().Take(LiveSource.EventCapacity), events.Select(e => e.Id));
        Assert.All(events, e => Assert.Null(e.End));
    }

    [Fact]
    public void Read_UpdateOfAnEventNoLongerKept_ListedAgainWithItsStart()
    {
        var source = new LiveSource("cam0");
        var old = Guid.CreateVersion7();
        source.Update(default(SceneFigures), 0.01, [new SceneEvent(old, SceneEventType.LaneDeparture, SceneEventPhase.Start, T0, T0, null, 0.3, 0.3, null)]);
        for (var i = 0; i < LiveSource.EventCapacity; i++)
        {
            source.Update(default(SceneFigures), 0.01, [new SceneEvent(Guid.CreateVersion7(), SceneEventType.VehicleClose, SceneEventPhase.Start, T0, T0, null, 0.8, 0.8, null)]);
        }

        source.Update(default(SceneFigures), 0.01, [new SceneEvent(old, SceneEventType.LaneDeparture, SceneEventPhase.End, T0, T0.AddSeconds(9), T0.AddSeconds(8), 0.1, 0.45, null)]);
        var newest = source.Read().Events[0];

        Assert.Equal((old, T0, T0.AddSeconds(8), 0.45), (newest.Id, newest.Start, newest.End, newest.Peak));
        Assert.Equal(TimeSpan.FromSeconds(8), newest.Duration);
    }

    [Fact]
    public void Update_EveryFrame_AllocatesNothing()
    {
        // What the pipeline's publishing task pays per frame for the live page.
        var source = new LiveSource("cam0");
        IReadOnlyList<SceneEvent> none = new List<SceneEvent>();
        var figures = new SceneFigures(7, T0, 640, 360, default, default, default, default, default, default);
        source.Update(figures, 0.01, none);

        Assert.Equal(0, Allocations.QuietestRound(() => source.Update(figures, 0.01, none), callsPerRound: 1000));
    }

    [Fact]
    public void Read_BeforeAnyFrame_NoFiguresNoLatency()
    {
        var reading = new LiveSource("cam0").Read();

        Assert.Null(reading.Figures);
        Assert.Null(reading.LatencySeconds);
        Assert.Empty(reading.Events);
    }
}
