using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Tests.Datasets;

public sealed class WeightedSamplerTests
{
    [Fact]
    public void Epoch_Weights_GiveProportionalSharesWithoutRepeatsWithinACycle()
    {
        var sampler = new WeightedSampler([10, 4], [1.0, 3.0], 12, seed: 7);

        var epoch = sampler.Epoch(0);

        Assert.Equal([3, 9], sampler.Shares);
        Assert.Equal(12, epoch.Count);
        Assert.Equal(3, epoch.Count(e => e.Dataset == 0));
        Assert.Equal(3, epoch.Where(e => e.Dataset == 0).Distinct().Count());
        // Dataset 1 has 4 samples and a share of 9: every sample at least twice, none more than three times.
        var uses = epoch.Where(e => e.Dataset == 1).GroupBy(e => e.Index).Select(g => g.Count()).ToList();
        Assert.Equal(4, uses.Count);
        Assert.All(uses, n => Assert.InRange(n, 2, 3));
    }

    [Fact]
    public void Epoch_SameSeedNewInstance_SameOrder()
    {
        var a = new WeightedSampler([5, 6], [1.0, 1.0], 11, seed: 3).Epoch(4);
        var b = new WeightedSampler([5, 6], [1.0, 1.0], 11, seed: 3).Epoch(4);
        var c = new WeightedSampler([5, 6], [1.0, 1.0], 11, seed: 3).Epoch(5);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
