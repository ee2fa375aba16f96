using EdgeSeg.Service.Bench;

namespace EdgeSeg.Service.Tests.Bench;

/// <summary>The soak's least-squares trend: growth along the fitted line, relative to its start.</summary>
public sealed class SoakTrendTests
{
    [Fact]
    public void Trend_SamplesOnALine_IsTheLinesGrowth()
    {
        var samples = Enumerable.Range(1, 10).Select(m => new SoakSample(m, 100 + (2.0 * m), 50)).ToList();

        // From minute 1 (102 MB) to minute 10 (120 MB).
        Assert.Equal(18.0 / 102.0, BenchRunner.Trend(samples, 1, 10), 12);
    }

    [Fact]
    public void Trend_FlatLevelWithSwings_IsNearZeroWhereTheEndsDiffer()
    {
        // A flat level with +-3 MB swings (the managed heap between collections), 81 samples over 20 minutes.
        var samples = Enumerable.Range(0, 81).Select(i => new SoakSample(1 + (i * 0.25), 300 + (i % 2 == 0 ? 3 : -3), 50)).ToList();

        Assert.InRange(BenchRunner.Trend(samples, 1, 21), -0.001, 0.001);
        Assert.Equal(0.02, (samples[0].ResidentMegabytes - samples[^2].ResidentMegabytes) / samples[^2].ResidentMegabytes, 3);
    }

    [Fact]
    public void Trend_FewerThanTwoSamples_IsNaN()
    {
        Assert.True(double.IsNaN(BenchRunner.Trend([new SoakSample(1, 300, 50)], 1, 30)));
    }
}
