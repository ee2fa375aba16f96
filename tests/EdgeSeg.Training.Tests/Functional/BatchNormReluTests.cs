using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Functional;

/// <summary>
/// The fused <see cref="Ops.BatchNormRelu"/> against the unfused <c>Relu(BatchNorm2d(x))</c> it replaces (bit for bit:
/// the PyTorch parity fixtures and the determinism tests depend on it) and against finite differences.
/// </summary>
public class BatchNormReluTests
{
    public static TheoryData<int, int, int, int, bool> Shapes => new()
    {
        // n, c, h, w, training
        { 1, 1, 5, 7, true },
        { 1, 3, 3, 5, true },
        { 4, 17, 1, 1, true },
        { 2, 3, 7, 9, true },
        { 1, 17, 9, 33, true },
        { 3, 1, 16, 16, true },
        { 1, 1, 1, 1, false },
        { 1, 3, 5, 7, false },
        { 4, 17, 1, 1, false },
        { 2, 17, 9, 33, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNormRelu_AwkwardShapes_EqualsReluOfBatchNormBitForBit(int n, int c, int h, int w, bool training)
    {
        var fused = Run(n, c, h, w, training, fuse: true, zeroChannels: false);
        var unfused = Run(n, c, h, w, training, fuse: false, zeroChannels: false);
        AssertSameBits(unfused, fused);
    }

    [Theory]
    [InlineData(2, 3, 5, 7, true)]
    [InlineData(4, 17, 1, 1, true)]
    [InlineData(1, 3, 5, 7, false)]
    [InlineData(2, 17, 3, 3, false)]
    public void BatchNormRelu_ValuesExactlyZeroAfterBatchNorm_EqualsReluOfBatchNormBitForBit(int n, int c, int h, int w, bool training)
    {
        var fused = Run(n, c, h, w, training, fuse: true, zeroChannels: true);
        var unfused = Run(n, c, h, w, training, fuse: false, zeroChannels: true);

        // Channel 0 (gamma 0, beta 0) and, in training, the all-zero last channel normalise to exactly 0: the ReLU's
        // mask is closed there, so no gradient may reach x through them.
        Assert.All(Plane(fused.Y, n, c, h * w, 0), v => Assert.Equal(0f, v));
        Assert.All(Plane(fused.Dx, n, c, h * w, 0), v => Assert.Equal(0f, v));
        if (training)
        {
            Assert.All(Plane(fused.Y, n, c, h * w, c - 1), v => Assert.Equal(0f, v));
        }

        AssertSameBits(unfused, fused);
    }

    [Fact]
    public void DoubleConv_Training_EqualsUnfusedChainBitForBit()
    {
        var x = GradCheck.Random(30, 2, 3, 9, 11);
        var fusedBlock = new DoubleConv(3, 17, new Random(4));
        var plainBlock = new DoubleConv(3, 17, new Random(4));
        var r = GradCheck.Random(31, 2, 17, 9, 11);

        var yFused = fusedBlock.Forward(x);
        yFused.Backward(r);
        var yPlain = Ops.Relu(plainBlock.Bn2.Forward(plainBlock.Conv2.Forward(Ops.Relu(plainBlock.Bn1.Forward(plainBlock.Conv1.Forward(x))))));
        yPlain.Backward(r);

        Assert.Equal(Bits(yPlain), Bits(yFused));
        var fusedState = fusedBlock.StateDict().ToList();
        var plainState = plainBlock.StateDict().ToList();
        Assert.Equal(plainState.Select(p => p.Key), fusedState.Select(p => p.Key));
        for (var i = 0; i < plainState.Count; i++)
        {
            Assert.Equal(Bits(plainState[i].Value), Bits(fusedState[i].Value));
        }

        var fusedParams = fusedBlock.NamedParameters().ToList();
        var plainParams = plainBlock.NamedParameters().ToList();
        for (var i = 0; i < plainParams.Count; i++)
        {
            Assert.Equal(Bits(plainParams[i].Value.Grad!), Bits(fusedParams[i].Value.Grad!));
        }
    }

    [Theory]
    [InlineData(2, 1, 1, 1)]
    [InlineData(3, 3, 5, 7)]
    [InlineData(2, 17, 3, 1)]
    [InlineData(1, 3, 1, 5)]
    [InlineData(1, 3, 9, 19)]
    public void BatchNormRelu_Training_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        var x = GradCheck.Random(21, n, c, h, w);
        var g = GradCheck.Random(22, c);
        var b = GradCheck.Random(23, c);
        GradCheck.Check(
            t => Ops.BatchNormRelu(t[0], t[1], t[2], new Tensor(c), Tensor.Full(1f, c), training: true),
            d => Relu(RefOps.BatchNormTrain(d[0], [n, c, h, w], d[1], d[2], 1e-5)),
            [x, g, b],
            gradTol: 5e-4);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 3, 3, 5)]
    [InlineData(1, 17, 5, 9)]
    public void BatchNormRelu_Eval_GradientMatchesFiniteDifferences(int n, int c, int h, int w)
    {
        var rm = GradCheck.Random(24, c);
        var rv = Tensor.Full(0.7f, c);
        rv.Data[c / 2] = 2.5f;
        GradCheck.Check(
            t => Ops.BatchNormRelu(t[0], t[1], t[2], rm, rv, training: false),
            d => Relu(RefOps.BatchNormEval(d[0], [n, c, h, w], d[1], d[2], ToDouble(rm), ToDouble(rv), 1e-5)),
            [GradCheck.Random(25, n, c, h, w), GradCheck.Random(26, c), GradCheck.Random(27, c)]);
    }

    [Fact]
    public void BatchNormRelu_WrongGammaLength_ThrowsNamingShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.BatchNormRelu(new Tensor(2, 3, 4, 4), new Tensor(2), new Tensor(3), new Tensor(3), new Tensor(3), training: true));
        Assert.Equal("gamma", e.ParamName);
        Assert.Contains("[2,3,4,4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchNormRelu_TrainingOnOneValuePerChannel_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.BatchNormRelu(new Tensor(1, 3, 1, 1), new Tensor(3), new Tensor(3), new Tensor(3), new Tensor(3), training: true));
        Assert.Equal("x", e.ParamName);
    }

    private static Result Run(int n, int c, int h, int w, bool training, bool fuse, bool zeroChannels)
    {
        var x = GradCheck.Random(40 + c, n, c, h, w);
        var gamma = GradCheck.Random(41 + c, c);
        var beta = GradCheck.Random(42 + c, c);
        var runningMean = GradCheck.Random(43 + c, 0.3f, c);
        var runningVar = Tensor.Full(0.8f, c);
        runningVar.Data[c - 1] = 1.9f;
        if (zeroChannels)
        {
            // gamma = beta = 0: y = x * 0 + 0 = 0 exactly (x * 0 is -0 for negative x; -0 + 0 is +0).
            gamma.Data[0] = 0f;
            beta.Data[0] = 0f;

            // An all-zero channel with beta 0: batch mean 0, so in training y = 0 * scale + 0 = 0 exactly.
            if (c > 1)
            {
                beta.Data[c - 1] = 0f;
                for (var i = 0; i < n; i++)
                {
                    x.Data.Slice(((i * c) + c - 1) * h * w, h * w).Clear();
                }
            }
        }

        x.RequiresGrad = true;
        gamma.RequiresGrad = true;
        beta.RequiresGrad = true;
        var y = fuse
            ? Ops.BatchNormRelu(x, gamma, beta, runningMean, runningVar, training)
            : Ops.Relu(Ops.BatchNorm2d(x, gamma, beta, runningMean, runningVar, training));
        y.Backward(GradCheck.Random(44 + c, n, c, h, w));
        return new Result(y.ToArray(), x.Grad!.ToArray(), gamma.Grad!.ToArray(), beta.Grad!.ToArray(), runningMean.ToArray(), runningVar.ToArray());
    }

    private static void AssertSameBits(Result expected, Result actual)
    {
        Assert.Equal(Bits(expected.Y), Bits(actual.Y));
        Assert.Equal(Bits(expected.Dx), Bits(actual.Dx));
        Assert.Equal(Bits(expected.Dgamma), Bits(actual.Dgamma));
        Assert.Equal(Bits(expected.Dbeta), Bits(actual.Dbeta));
        Assert.Equal(Bits(expected.RunningMean), Bits(actual.RunningMean));
        Assert.Equal(Bits(expected.RunningVar), Bits(actual.RunningVar));
    }

    private static float[] Plane(float[] values, int n, int c, int plane, int channel)
        => Enumerable.Range(0, n).SelectMany(i => values.Skip(((i * c) + channel) * plane).Take(plane)).ToArray();

    private static int[] Bits(Tensor t) => Bits(t.ToArray());

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static double[] Relu(double[] values) => values.Select(v => Math.Max(0, v)).ToArray();

    private static double[] ToDouble(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    private sealed record Result(float[] Y, float[] Dx, float[] Dgamma, float[] Dbeta, float[] RunningMean, float[] RunningVar);
}
