using System.Diagnostics;
using EdgeSeg.Pipeline.Diagnostics;

namespace EdgeSeg.Pipeline.Tests.Diagnostics;

public sealed class RateMeterTests
{
    private static long At(double seconds) => 1 + (long)(seconds * Stopwatch.Frequency);

    // Events every 0.1 s from 0 to 5.0 s.
    private static RateMeter TenPerSecondUntilFiveSeconds()
    {
        var meter = new RateMeter();
        for (var i = 0; i <= 50; i++)
        {
            meter.Tick(At(i * 0.1));
        }

        return meter;
    }

    [Fact]
    public void RateAt_SteadyEvents_IsTheirRate()
    {
        var meter = TenPerSecondUntilFiveSeconds();

        Assert.Equal(10, meter.RateAt(At(5.0)), 9);
        Assert.Equal(10, meter.RateAt(At(5.05)), 9); // within one interval of the last event
    }

    [Fact]
    public void RateAt_FewerThanTwoEvents_IsZero()
    {
        var meter = new RateMeter();
        Assert.Equal(0, meter.RateAt(At(1)));
        meter.Tick(At(1));
        Assert.Equal(0, meter.RateAt(At(1.5)));
    }

    [Fact]
    public void RateAt_SourceStopsDelivering_DecaysAsOneEventOverTheGap()
    {
        var meter = TenPerSecondUntilFiveSeconds();

        // Stalled since 5.0 s: 2 s later it reads 0.5 fps, 10 s later 0.1, not the 10 fps it had.
        Assert.Equal(0.5, meter.RateAt(At(7.0)), 6);
        Assert.Equal(0.1, meter.RateAt(At(15.0)), 6);

        // Frames again: the smoothed interval (weight 1/16 for the newest) takes over, the 10 s gap still in it.
        meter.Tick(At(15.0));
        meter.Tick(At(15.1));
        var afterGap = 0.1 + ((10 - 0.1) / 16);
        Assert.Equal(1 / (afterGap + ((0.1 - afterGap) / 16)), meter.RateAt(At(15.1)), 6);
    }
}
