using EdgeSeg.Pipeline.Supervision;

namespace EdgeSeg.Pipeline.Tests.Supervision;

public sealed class BackoffTests
{
    [Fact]
    public void Delay_NoJitter_DoublesUpToMax()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0);
        var random = new Random(1);

        var delays = Enumerable.Range(0, 6).Select(a => backoff.Delay(a, random).TotalMilliseconds).ToArray();

        Assert.Equal([100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void Delay_WithJitter_StaysWithinFractionBelowNominalAndVaries()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), 0.2);
        var random = new Random(7);

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(3, random).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 640, 800));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the retries of sources that failed together");
    }

    [Fact]
    public void Delay_HugeAttempt_DoesNotOverflow()
    {
        var delay = Backoff.Default.Delay(10_000, new Random(3));

        Assert.InRange(delay, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(30));
    }
}
