using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Functional;

/// <summary>The operations the ResNet encoder and its U-Net decoder added, against double references and finite differences.</summary>
public class ResNetOpsGradientTests
{
    [Theory]
    [InlineData(1, 1, 4, 4, 3, 2, 1)]
    [InlineData(2, 3, 6, 8, 3, 2, 1)]
    [InlineData(1, 5, 7, 5, 3, 2, 1)]
    [InlineData(1, 2, 5, 6, 2, 2, 0)]
    [InlineData(1, 3, 9, 4, 3, 1, 1)]
    public void MaxPool2d_AwkwardSizes_GradientMatchesFiniteDifferences(int n, int c, int h, int w, int k, int s, int p)
    {
        GradCheck.Check(
            t => Ops.MaxPool2d(t[0], k, s, p),
            d => MaxPoolReference(d[0], [n, c, h, w], k, s, p),
            [GradCheck.Random(31, n, c, h, w)]);
    }

    [Fact]
    public void MaxPool2d_PaddingLargerThanHalfTheWindow_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.MaxPool2d(new Tensor(1, 1, 4, 4), 3, 2, 2));
        Assert.Contains("half the kernel", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 3, 3, 5)]
    [InlineData(1, 17, 4, 7)]
    public void UpsampleNearest2x_AwkwardSizes_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        GradCheck.Check(
            t => Ops.UpsampleNearest2x(t[0]),
            d =>
            {
                var y = new double[n * c * 4 * h * w];
                for (var p = 0; p < n * c; p++)
                {
                    for (var oy = 0; oy < 2 * h; oy++)
                    {
                        for (var ox = 0; ox < 2 * w; ox++)
                        {
                            y[(((p * 2 * h) + oy) * 2 * w) + ox] = d[0][(((p * h) + (oy / 2)) * w) + (ox / 2)];
                        }
                    }
                }

                return y;
            },
            [GradCheck.Random(32, n, c, h, w)]);
    }

    [Theory]
    [InlineData(3, 3, 1)]
    [InlineData(3, 5, 2)]
    public void BasicBlock_Training_InputGradientMatchesFiniteDifferences(int inChannels, int outChannels, int stride)
    {
        var block = new BasicBlock(inChannels, outChannels, stride, new Random(5));
        var x = GradCheck.Random(33, 2, inChannels, 6, 4);
        var w1 = ToDouble(block.Conv1.Weight);
        var w2 = ToDouble(block.Conv2.Weight);
        var g1 = ToDouble(block.Bn1.Weight);
        var b1 = ToDouble(block.Bn1.Bias);
        var g2 = ToDouble(block.Bn2.Weight);
        var b2 = ToDouble(block.Bn2.Bias);
        GradCheck.Check(
            t => block.Forward(t[0]),
            d =>
            {
                int[] xs = [2, inChannels, 6, 4];
                var y = RefOps.Conv2d(d[0], xs, w1, [outChannels, inChannels, 3, 3], null, stride, 1, 1, out var ys);
                y = RefOps.BatchNormTrain(y, ys, g1, b1, 1e-5).Select(v => Math.Max(0, v)).ToArray();
                y = RefOps.Conv2d(y, ys, w2, [outChannels, outChannels, 3, 3], null, 1, 1, 1, out ys);
                y = RefOps.BatchNormTrain(y, ys, g2, b2, 1e-5);
                var shortcut = d[0];
                if (block.ProjectionConv is { } proj)
                {
                    shortcut = RefOps.Conv2d(d[0], xs, ToDouble(proj.Weight), [outChannels, inChannels, 1, 1], null, stride, 0, 1, out var ss);
                    shortcut = RefOps.BatchNormTrain(shortcut, ss, ToDouble(block.ProjectionBn!.Weight), ToDouble(block.ProjectionBn.Bias), 1e-5);
                }

                return y.Select((v, i) => Math.Max(0, v + shortcut[i])).ToArray();
            },
            [x],
            gradTol: 5e-4);
    }

    [Fact]
    public void BatchNorm2d_FrozenStatisticsInTraining_NormalisesByRunningStatisticsAndKeepsThem()
    {
        var bn = new BatchNorm2d(3);
        for (var c = 0; c < 3; c++)
        {
            bn.RunningMean.Data[c] = 0.1f * (c + 1);
            bn.RunningVar.Data[c] = 0.5f + c;
        }

        var x = GradCheck.Random(34, 2, 3, 4, 5);
        bn.Eval();
        var expected = bn.Forward(x).Data.ToArray();
        bn.Train();
        bn.FrozenStatistics = true;
        var actual = bn.Forward(x).Data.ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal([0.1f, 0.2f, 0.3f], bn.RunningMean.Data.ToArray(), (a, b) => Math.Abs(a - b) < 1e-7f);
        Assert.Equal([0.5f, 1.5f, 2.5f], bn.RunningVar.Data.ToArray(), (a, b) => Math.Abs(a - b) < 1e-7f);

        bn.FrozenStatistics = false;
        bn.Forward(x);
        Assert.NotEqual(0.1f, bn.RunningMean.Data[0]);
    }

    private static double[] ToDouble(Tensor t) => [.. t.Data.ToArray().Select(v => (double)v)];

    private static double[] MaxPoolReference(double[] x, int[] xs, int k, int s, int p)
    {
        int nc = xs[0] * xs[1], h = xs[2], w = xs[3];
        int ho = ((h + (2 * p) - k) / s) + 1, wo = ((w + (2 * p) - k) / s) + 1;
        var y = new double[nc * ho * wo];
        for (var q = 0; q < nc; q++)
        {
            for (var oy = 0; oy < ho; oy++)
            {
                for (var ox = 0; ox < wo; ox++)
                {
                    var best = double.NegativeInfinity;
                    for (var ky = 0; ky < k; ky++)
                    {
                        for (var kx = 0; kx < k; kx++)
                        {
                            int iy = (oy * s) - p + ky, ix = (ox * s) - p + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                best = Math.Max(best, x[(((q * h) + iy) * w) + ix]);
                            }
                        }
                    }

                    y[(((q * ho) + oy) * wo) + ox] = best;
                }
            }
        }

        return y;
    }
}
