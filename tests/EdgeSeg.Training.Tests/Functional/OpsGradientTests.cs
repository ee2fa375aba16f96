using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Functional;

public class OpsGradientTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, bool> ConvCases => new()
    {
        // n, c, h, w, o, k, stride, pad, dil, bias
        { 1, 1, 1, 1, 1, 1, 1, 0, 1, true },
        { 2, 3, 7, 9, 17, 3, 1, 1, 1, true },
        { 1, 17, 5, 6, 3, 3, 1, 1, 1, false },
        { 2, 3, 9, 7, 5, 3, 2, 1, 1, true },
        { 1, 3, 11, 10, 4, 3, 1, 2, 2, true },
        { 2, 17, 4, 5, 1, 1, 1, 0, 1, true },
        { 1, 1, 8, 5, 3, 5, 3, 2, 1, false },
        { 1, 3, 1, 1, 2, 3, 1, 1, 1, true },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_AwkwardShapes_GradientMatchesFiniteDifferences(int n, int c, int h, int w, int o, int k, int stride, int pad, int dil, bool bias)
    {
        var x = GradCheck.Random(1, n, c, h, w);
        var wt = GradCheck.Random(2, 0.5f, o, c, k, k);
        var inputs = bias ? new[] { x, wt, GradCheck.Random(3, o) } : new[] { x, wt };
        GradCheck.Check(
            t => Ops.Conv2d(t[0], t[1], bias ? t[2] : null, stride, pad, dil),
            d => RefOps.Conv2d(d[0], [n, c, h, w], d[1], [o, c, k, k], bias ? d[2] : null, stride, pad, dil, out _),
            inputs);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 2, 2)]
    [InlineData(2, 3, 3, 5, 17, 2, 2)]
    [InlineData(1, 17, 2, 3, 3, 2, 2)]
    [InlineData(1, 3, 3, 2, 2, 3, 2)]
    public void ConvTranspose2d_AwkwardShapes_GradientMatchesFiniteDifferences(int n, int c, int h, int w, int o, int k, int stride)
    {
        var x = GradCheck.Random(4, n, c, h, w);
        var wt = GradCheck.Random(5, 0.5f, c, o, k, k);
        var b = GradCheck.Random(6, o);
        GradCheck.Check(
            t => Ops.ConvTranspose2d(t[0], t[1], t[2], stride),
            d => RefOps.ConvTranspose2d(d[0], [n, c, h, w], d[1], [c, o, k, k], d[2], stride, out _),
            [x, wt, b]);
    }

    [Theory]
    [InlineData(2, 1, 1, 1)]
    [InlineData(3, 3, 5, 7)]
    [InlineData(2, 17, 3, 1)]
    [InlineData(1, 3, 1, 5)]
    public void BatchNorm2d_Training_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        var x = GradCheck.Random(7, n, c, h, w);
        var g = GradCheck.Random(8, c);
        var b = GradCheck.Random(9, c);
        GradCheck.Check(
            t => Ops.BatchNorm2d(t[0], t[1], t[2], new Tensor(c), Tensor.Full(1f, c), training: true),
            d => RefOps.BatchNormTrain(d[0], [n, c, h, w], d[1], d[2], 1e-5),
            [x, g, b],
            gradTol: 5e-4);
    }

    [Fact]
    public void BatchNorm2d_Eval_GradientMatchesFiniteDifferences()
    {
        const int n = 2, c = 3, h = 3, w = 5;
        var rm = GradCheck.Random(10, c);
        var rv = Tensor.Full(0.7f, c);
        rv.Data[1] = 2.5f;
        GradCheck.Check(
            t => Ops.BatchNorm2d(t[0], t[1], t[2], rm, rv, training: false),
            d => RefOps.BatchNormEval(d[0], [n, c, h, w], d[1], d[2], rm.Data.ToArray().Select(v => (double)v).ToArray(), rv.Data.ToArray().Select(v => (double)v).ToArray(), 1e-5),
            [GradCheck.Random(11, n, c, h, w), GradCheck.Random(12, c), GradCheck.Random(13, c)]);
    }

    [Fact]
    public void BatchNorm2d_Training_UpdatesRunningStatisticsWithUnbiasedVariance()
    {
        var x = new Tensor([1f, 2f, 3f, 6f], 2, 1, 1, 2);
        var rm = new Tensor(1);
        var rv = Tensor.Full(1f, 1);
        Ops.BatchNorm2d(x, Tensor.Full(1f, 1), new Tensor(1), rm, rv, training: true, momentum: 0.1f);
        Assert.Equal(0.1f * 3f, rm.Data[0], 6);
        var unbiased = ((4 + 1 + 0 + 9) / 3.0);
        Assert.Equal((float)((0.9 * 1) + (0.1 * unbiased)), rv.Data[0], 6);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 3, 5, 7)]
    [InlineData(1, 17, 4, 3)]
    public void Relu_AwkwardShapes_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        GradCheck.Check(
            t => Ops.Relu(t[0]),
            d => d[0].Select(v => Math.Max(0, v)).ToArray(),
            [GradCheck.Random(14, n, c, h, w)]);
    }

    [Theory]
    [InlineData(1, 1, 2, 2)]
    [InlineData(2, 3, 5, 7)]
    [InlineData(1, 17, 4, 6)]
    public void MaxPool2x2_OddSizes_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        GradCheck.Check(
            t => Ops.MaxPool2x2(t[0]),
            d => RefOps.MaxPool2x2(d[0], [n, c, h, w], out _),
            [GradCheck.Random(15, n, c, h, w)]);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 2, 2)]
    [InlineData(2, 3, 3, 5, 6, 10)]
    [InlineData(1, 17, 4, 3, 7, 5)]
    [InlineData(1, 3, 5, 4, 3, 2)]
    public void UpsampleBilinear_AwkwardSizes_MatchesOnnxHalfPixelAndGradient(int n, int c, int h, int w, int oh, int ow)
    {
        GradCheck.Check(
            t => Ops.UpsampleBilinear(t[0], oh, ow),
            d => RefOps.Resize(d[0], [n, c, h, w], oh, ow),
            [GradCheck.Random(16, n, c, h, w)]);
    }

    [Fact]
    public void ConcatChannels_ThreeParts_GradientMatchesFiniteDifferences()
    {
        var a = GradCheck.Random(17, 2, 1, 3, 5);
        var b = GradCheck.Random(18, 2, 3, 3, 5);
        var c = GradCheck.Random(19, 2, 17, 3, 5);
        GradCheck.Check(
            t => Ops.ConcatChannels(t[0], t[1], t[2]),
            d =>
            {
                var y = new List<double>();
                for (var i = 0; i < 2; i++)
                {
                    y.AddRange(d[0].Skip(i * 15).Take(15));
                    y.AddRange(d[1].Skip(i * 45).Take(45));
                    y.AddRange(d[2].Skip(i * 255).Take(255));
                }

                return y.ToArray();
            },
            [a, b, c]);
    }

    [Fact]
    public void PadBottomRightThenCrop_OddSizes_GradientMatchesFiniteDifferences()
    {
        const int h = 3, w = 5;
        GradCheck.Check(
            t => Ops.CropTopLeft(Ops.Scale(Ops.PadBottomRight(t[0], 2, 1), 2f), 4, 4),
            d =>
            {
                // pad to 5x6 with zeros, scale by 2, crop top-left 4x4
                var y = new double[3 * 4 * 4];
                for (var p = 0; p < 3; p++)
                {
                    for (var r = 0; r < 4; r++)
                    {
                        for (var q = 0; q < 4; q++)
                        {
                            y[((p * 4) + r) * 4 + q] = r < h && q < w ? 2 * d[0][((p * h) + r) * w + q] : 0;
                        }
                    }
                }

                return y;
            },
            [GradCheck.Random(20, 1, 3, h, w)]);
    }

    [Fact]
    public void Dropout_Training_ZeroesAboutPAndScalesTheRestAndGradientFollowsMask()
    {
        var x = Tensor.Full(1f, 1, 1, 100, 100);
        x.RequiresGrad = true;
        var y = Ops.Dropout(x, 0.3f, training: true, new Random(5));
        var zeros = y.ToArray().Count(v => v == 0f);
        Assert.InRange(zeros, 2700, 3300);
        Assert.All(y.ToArray().Where(v => v != 0f), v => Assert.Equal(1f / 0.7f, v, 6));
        y.Backward(Tensor.Full(1f, 1, 1, 100, 100));
        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
        Assert.Same(x, Ops.Dropout(x, 0.3f, training: false, new Random(5)));
    }

    [Fact]
    public void Conv2d_WrongChannelCount_ThrowsNamingShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.Conv2d(new Tensor(1, 3, 4, 4), new Tensor(2, 4, 3, 3)));
        Assert.Contains("[1,3,4,4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_SharedInput_AccumulatesBothPaths()
    {
        var x = new Tensor([1f, -2f, 3f], 1, 1, 1, 3);
        x.RequiresGrad = true;
        var y = Ops.Add(Ops.Relu(x), Ops.Scale(x, 3f));
        y.Backward(Tensor.Full(1f, 1, 1, 1, 3));
        Assert.Equal([4f, 3f, 4f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGrad_Scope_RecordsNothing()
    {
        var x = GradCheck.Random(1, 1, 1, 2, 2);
        x.RequiresGrad = true;
        using (Autograd.NoGrad())
        {
            var y = Ops.Relu(x);
            Assert.False(y.RequiresGrad);
            Assert.Null(y.Node);
        }

        Assert.True(Ops.Relu(x).RequiresGrad);
    }
}
