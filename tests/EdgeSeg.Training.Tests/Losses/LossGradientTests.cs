using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Losses;

public class LossGradientTests
{
    private static readonly Dictionary<int, int[]> Partial = new() { [7] = [1, 4], [9] = [0, 2, 3] };

    private static byte[] Labels(int count, int classes, int seed)
    {
        var rng = new Random(seed);
        var l = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var r = rng.NextDouble();
            l[i] = r < 0.1 ? (byte)255 : r < 0.2 ? (byte)7 : r < 0.25 ? (byte)9 : (byte)rng.Next(classes);
        }

        return l;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(1, 7, 1)]
    public void CrossEntropy_WeightsIgnoreAndPartialLabels_GradientMatchesFiniteDifferences(int n, int h, int w)
    {
        const int k = 5;
        var labels = Labels(n * h * w, k, 3);
        if (labels.All(l => l == 255))
        {
            labels[0] = 7;
        }

        var weights = new[] { 0.5f, 1f, 2f, 1.5f, 3f };
        var loss = new CrossEntropyLoss(k, weights, 255, Partial.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<int>)kv.Value));
        GradCheck.Check(
            t => loss.Forward(t[0], labels),
            d => [RefOps.CrossEntropy(d[0], [n, k, h, w], labels, weights.Select(v => (double)v).ToArray(), 255, Partial)],
            [GradCheck.Random(30, 2f, n, k, h, w)]);
    }

    [Fact]
    public void CrossEntropy_PartialLabel_IsMinusLogOfSummedProbabilities()
    {
        var logits = new Tensor([0f, 1f, 2f], 1, 3, 1, 1);
        var loss = new CrossEntropyLoss(3, partialLabels: new Dictionary<int, IReadOnlyList<int>> { [3] = [1, 2] });
        var expected = -Math.Log((Math.Exp(1) + Math.Exp(2)) / (1 + Math.Exp(1) + Math.Exp(2)));
        Assert.Equal(expected, loss.Forward(logits, [3]).Item(), 5);
    }

    [Fact]
    public void CrossEntropy_AllIgnored_IsZero()
    {
        var logits = GradCheck.Random(1, 1, 3, 2, 2);
        Assert.Equal(0f, new CrossEntropyLoss(3).Forward(logits, [255, 255, 255, 255]).Item());
    }

    [Fact]
    public void CrossEntropy_UnknownLabel_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(3).Forward(new Tensor(1, 3, 1, 2), [1, 42]));
        Assert.Contains("label 42", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    public void Dice_IgnoredAndPartialExcluded_GradientMatchesFiniteDifferences(int n, int h, int w)
    {
        const int k = 5;
        var labels = Labels(n * h * w, k, 4);
        var dice = new DiceLoss(k, smooth: 1f);
        GradCheck.Check(
            t => dice.Forward(t[0], labels),
            d => [RefOps.Dice(d[0], [n, k, h, w], labels, 1.0)],
            [GradCheck.Random(31, 2f, n, k, h, w)]);
    }

    [Fact]
    public void SegmentationLoss_WeightedSum_GradientMatchesFiniteDifferences()
    {
        const int n = 2, k = 5, h = 3, w = 4;
        var labels = Labels(n * h * w, k, 5);
        var partial = Partial.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<int>)kv.Value);
        var loss = new SegmentationLoss(new CrossEntropyLoss(k, partialLabels: partial), new DiceLoss(k), 0.7f, 0.4f);
        var ones = Enumerable.Repeat(1.0, k).ToArray();
        GradCheck.Check(
            t => loss.Forward(t[0], labels),
            d => [(0.7 * RefOps.CrossEntropy(d[0], [n, k, h, w], labels, ones, 255, Partial)) + (0.4 * RefOps.Dice(d[0], [n, k, h, w], labels, 1.0))],
            [GradCheck.Random(32, 2f, n, k, h, w)]);
    }
}
