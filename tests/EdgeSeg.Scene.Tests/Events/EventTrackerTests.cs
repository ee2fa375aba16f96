using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Tests.Events;

public class EventTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>A frame at 10 fps with <paramref name="pedestrianPixels"/> of a 10,000-pixel corridor, a lane and plenty of road.</summary>
    private static SceneMetrics Frame(int index, int pedestrianPixels = 0, double? offset = 0, double road = 0.3, double? confidence = null,
        double? vehicleProximity = null, double? ttc = null)
    {
        var m = new SceneMetrics
        {
            FrameIndex = index,
            Timestamp = T0.AddMilliseconds(100 * index),
            Width = 100,
            Height = 100,
            Corridor = new CorridorMetrics(new ClassCoverage(0, 10_000 - pedestrianPixels, 0, pedestrianPixels, 0), false, pedestrianPixels >= 50),
            Lane = offset is null
                ? LaneMetrics.NotFound
                : new LaneMetrics(LaneStatus.Found, LaneBoundary.None, LaneBoundary.None, offset, 500, 0.8),
            Quality = new QualityMetrics(confidence, road),
            NearestVehicle = vehicleProximity is { } p ? new ProximityMetrics(true, 0, p, null, 0.1, ttc) : ProximityMetrics.None,
        };
        return m;
    }

    private static List<SceneEvent> Run(EventTracker tracker, IEnumerable<SceneMetrics> frames)
    {
        var all = new List<SceneEvent>();
        foreach (var frame in frames)
        {
            all.AddRange(tracker.Update(frame).ToArray());
        }

        return all;
    }

    [Fact]
    public void Update_OneFrameAboveThreshold_OpensNoEvent()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        var frames = Enumerable.Range(0, 30).Select(i => i == 10
            ? Frame(i, pedestrianPixels: 5_000, offset: 0.45, road: 0, vehicleProximity: 0.99, ttc: 0.1)
            : Frame(i));

        Assert.Empty(Run(tracker, frames));
    }

    [Fact]
    public void Update_OneFrameCrossingWithZeroStartDelay_StillOpensNoEvent()
    {
        var options = new SceneOptions();
        options.Events.PedestrianInCorridor.StartAfterSeconds = 0;
        var tracker = new EventTracker(options, "cam");
        Assert.Empty(Run(tracker, Enumerable.Range(0, 5).Select(i => Frame(i, pedestrianPixels: i == 2 ? 500 : 0))));
    }

    [Fact]
    public void Update_PedestrianForTwoSeconds_StartUpdatesAndEndShareOneId()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");

        // Pedestrian in frames 5..24 (0.5 s .. 2.4 s), then clear.
        var events = Run(tracker, Enumerable.Range(0, 50).Select(i => Frame(i, pedestrianPixels: i is >= 5 and < 25 ? 100 + i : 0)));

        // Updates every second while active (the last one while the end condition is being confirmed).
        Assert.Equal([SceneEventPhase.Start, SceneEventPhase.Update, SceneEventPhase.Update, SceneEventPhase.End], events.Select(e => e.Phase));
        Assert.All(events, e => Assert.Equal(SceneEventType.PedestrianInCorridor, e.Type));
        Assert.Single(events.Select(e => e.Id).Distinct());
        Assert.Equal(7, events[0].Id.Version);

        // Starts after 0.3 s of presence (frame 8), dated from the first frame present.
        Assert.Equal(T0.AddMilliseconds(500), events[0].StartTime);
        Assert.Equal(T0.AddMilliseconds(800), events[0].Timestamp);
        Assert.Equal(T0.AddMilliseconds(1800), events[1].Timestamp);
        Assert.Equal(T0.AddMilliseconds(2800), events[2].Timestamp);
        Assert.Null(events[2].EndTime);

        // Clear from frame 25; ends 1 s later (frame 35) with the end dated when it cleared.
        Assert.Equal(T0.AddMilliseconds(3500), events[3].Timestamp);
        Assert.Equal(T0.AddMilliseconds(2500), events[3].EndTime);
        Assert.Equal(TimeSpan.FromSeconds(2), events[3].Duration);
        Assert.Equal(124 / 10_000.0, events[3].Peak);
        Assert.False(tracker.IsActive(SceneEventType.PedestrianInCorridor));
    }

    [Fact]
    public void Update_ValueInsideHysteresisBand_KeepsEventOpen()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");

        // Lane offset 0.35 for 1 s starts a departure; 0.25 (between end 0.2 and start 0.3) for 3 s keeps it.
        var events = Run(tracker, Enumerable.Range(0, 40).Select(i => Frame(i, offset: i < 10 ? 0.35 : 0.25)));

        Assert.Equal(SceneEventPhase.Start, events[0].Phase);
        Assert.Equal(SceneEventType.LaneDeparture, events[0].Type);
        Assert.DoesNotContain(events, e => e.Phase == SceneEventPhase.End);
        Assert.True(tracker.IsActive(SceneEventType.LaneDeparture));

        var end = tracker.EndAll(T0.AddSeconds(10)).ToArray();
        Assert.Single(end);
        Assert.Equal((SceneEventPhase.End, events[0].Id, 0.35), (end[0].Phase, end[0].Id, end[0].Peak));
    }

    [Fact]
    public void Update_OffsetCrossesLineIntoNextLane_OneDepartureSignedByDepartedSide()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");

        // Drifting left to the line (-0.5), over it (the lane beyond: +0.5) and into the next lane's centre.
        double[] offsets = [0, 0, -0.1, -0.2, -0.32, -0.38, -0.44, -0.49, 0.47, 0.42, 0.37, 0.32, 0.25, 0.15, 0.05, .. Enumerable.Repeat(0.0, 25)];
        var events = Run(tracker, offsets.Select((o, i) => Frame(i, offset: o)));

        var start = Assert.Single(events, e => e.Phase == SceneEventPhase.Start);
        Assert.Equal((SceneEventType.LaneDeparture, T0.AddMilliseconds(400), -0.42), (start.Type, start.StartTime, start.Value));
        var end = Assert.Single(events, e => e.Phase == SceneEventPhase.End);
        Assert.Equal((start.Id, -0.49), (end.Id, end.Peak));
    }

    [Fact]
    public void Update_UnusableLaneFramesForUpToEndDelay_NeitherResetNorCountAsClear()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");

        // 0.4 with every third frame unusable (no lane) still starts 0.5 s after the first frame.
        var events = Run(tracker, Enumerable.Range(0, 12).Select(i => Frame(i, offset: i % 3 == 1 ? null : 0.4)));
        var start = Assert.Single(events);
        Assert.Equal((SceneEventPhase.Start, T0), (start.Phase, start.StartTime));
        Assert.Equal(T0.AddMilliseconds(500), start.Timestamp);

        // A second without a usable lane does not end it either (EndAfterSeconds, 1 s, of no evidence) ...
        events = Run(tracker, Enumerable.Range(12, 10).Select(i => Frame(i, offset: null)));
        Assert.DoesNotContain(events, e => e.Phase == SceneEventPhase.End);
        Assert.True(tracker.IsActive(SceneEventType.LaneDeparture));

        // ... but a lane lost for longer counts as clear: the event ends 1 s after that, clear from 1.1 s after the
        // last usable frame (frame 11).
        events = Run(tracker, Enumerable.Range(22, 20).Select(i => Frame(i, offset: null)));
        var end = Assert.Single(events, e => e.Phase == SceneEventPhase.End);
        Assert.Equal((start.Id, T0.AddMilliseconds(2200), T0.AddMilliseconds(3200)), (end.Id, end.EndTime!.Value, end.Timestamp));
    }

    [Fact]
    public void Update_BriefDipBelowEndThreshold_DoesNotEndEvent()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        var events = Run(tracker, Enumerable.Range(0, 40).Select(i => Frame(i, offset: i is 20 or 21 ? 0.0 : -0.4)));
        Assert.Single(events, e => e.Phase == SceneEventPhase.Start);
        Assert.DoesNotContain(events, e => e.Phase == SceneEventPhase.End);
        Assert.All(events, e => Assert.Equal(-0.4, e.Peak));
    }

    [Fact]
    public void Update_NoRoadAndNoConfidenceForThreeSeconds_CameraObstructed()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        var events = Run(tracker, Enumerable.Range(0, 40).Select(i => Frame(i, offset: null, road: 0.01)));
        var start = Assert.Single(events, e => e.Phase == SceneEventPhase.Start);
        Assert.Equal(SceneEventType.CameraObstructed, start.Type);
        Assert.Equal(T0.AddSeconds(3), start.Timestamp);
    }

    [Fact]
    public void Update_NoRoadButConfidentSegmenter_NotObstructed()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        Assert.Empty(Run(tracker, Enumerable.Range(0, 60).Select(i => Frame(i, road: 0.0, confidence: 0.9))));
    }

    [Fact]
    public void Update_VehicleTimeToContactUnderThreshold_VehicleClose()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        var events = Run(tracker, Enumerable.Range(0, 25).Select(i => Frame(i, vehicleProximity: 0.5, ttc: i < 10 ? 1.5 : null)));
        Assert.Equal([SceneEventPhase.Start, SceneEventPhase.Update, SceneEventPhase.End], events.Select(e => e.Phase));
        Assert.Equal(T0.AddMilliseconds(300), events[0].Timestamp);
        Assert.Equal(T0.AddMilliseconds(2000), events[2].Timestamp);
        Assert.Equal(1.5, events[0].TimeToContactSeconds);
        Assert.Equal(0.5, events[0].Value);
    }

    [Fact]
    public void Update_DisabledEvent_NeverStarts()
    {
        var options = new SceneOptions();
        options.Events.LaneDeparture.Enabled = false;
        var tracker = new EventTracker(options, "cam");
        Assert.Empty(Run(tracker, Enumerable.Range(0, 40).Select(i => Frame(i, offset: 0.45))));
    }

    [Fact]
    public void Update_AfterWarmUp_AllocatesNothing()
    {
        var tracker = new EventTracker(new SceneOptions(), "cam");
        var frames = Enumerable.Range(0, 60).Select(i => Frame(i, pedestrianPixels: i % 30 < 15 ? 200 : 0)).ToArray();
        tracker.Update(frames[0]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 0;
        for (var i = 1; i < frames.Length; i++)
        {
            count += tracker.Update(frames[i]).Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(count >= 3);
    }
}
