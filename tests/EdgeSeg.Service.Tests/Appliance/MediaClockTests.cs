using EdgeSeg.Service.Appliance;

namespace EdgeSeg.Service.Tests.Appliance;

public sealed class MediaClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_FramesReadFasterThanRealTime_VideoSecondsNotWallSeconds()
    {
        var clock = new MediaClock();

        // Decoded 10 ms apart in wall time, 66.667 ms apart in the video (15 fps).
        var times = Enumerable.Range(0, 4).Select(i => clock.Next(T0.AddMilliseconds(10 * i), i * 1000.0 / 15)).ToList();

        Assert.Equal([T0, T0.AddMilliseconds(1000.0 / 15), T0.AddMilliseconds(2000.0 / 15), T0.AddMilliseconds(3000.0 / 15)], times);
    }

    [Fact]
    public void Next_FileLoops_TimeGoesOnByTheLastStep()
    {
        var clock = new MediaClock();
        clock.Next(T0, 0);
        clock.Next(T0, 100);
        var beforeLoop = clock.Next(T0, 200);

        var afterLoop = clock.Next(T0.AddSeconds(5), 0);
        var next = clock.Next(T0.AddSeconds(5), 100);

        Assert.Equal(T0.AddMilliseconds(200), beforeLoop);
        Assert.Equal(T0.AddMilliseconds(300), afterLoop);
        Assert.Equal(T0.AddMilliseconds(400), next);
    }

    [Fact]
    public void Next_NoStreamTimestamp_CaptureTime()
    {
        var clock = new MediaClock();

        Assert.Equal(T0.AddSeconds(3), clock.Next(T0.AddSeconds(3), null));
    }

    [Fact]
    public void Next_FramesWithoutTimestampAfterTimedOnes_OneFrameStepOnEach()
    {
        var clock = new MediaClock();
        clock.Next(T0, 0);
        clock.Next(T0.AddSeconds(1), 100);

        // The decoder's last frames, flushed without a timestamp, long after in wall time (a slow machine).
        var first = clock.Next(T0.AddSeconds(7), null);
        var second = clock.Next(T0.AddSeconds(8), null);

        Assert.Equal(T0.AddMilliseconds(200), first);
        Assert.Equal(T0.AddMilliseconds(300), second);
    }

    [Fact]
    public void Next_FixedOrigin_OriginPlusTheVideosTimestampWhateverTheCaptureTime()
    {
        var origin = new DateTimeOffset(2025, 5, 1, 8, 30, 0, TimeSpan.Zero);
        var clock = new MediaClock(origin);

        var times = new[] { clock.Next(T0, 0), clock.Next(T0.AddSeconds(9), 40), clock.Next(T0.AddSeconds(10), 80) };

        Assert.Equal([origin, origin.AddMilliseconds(40), origin.AddMilliseconds(80)], times);
    }
}
