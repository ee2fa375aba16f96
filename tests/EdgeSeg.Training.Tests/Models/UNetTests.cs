using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Kernels;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Models;

[Collection(nameof(EngineStateGroup))]
public class UNetTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 17, 31)]
    [InlineData(1, 32, 32)]
    public void Forward_AnySize_LogitsHaveInputSize(int n, int h, int w)
    {
        var model = new UNet(3, 2, 5);
        model.Eval();
        var y = model.Forward(GradCheck.Random(1, n, 3, h, w));
        Assert.Equal([n, 5, h, w], y.Shape.ToArray());
    }

    [Fact]
    public void Forward_PaddedInput_EqualsExplicitZeroPadThenCrop()
    {
        var model = TestModels.Small(UpsamplingMode.TransposedConv);
        var x = GradCheck.Random(2, 1, 3, 5, 6);
        var padded = new Tensor(1, 3, 8, 8);
        for (var c = 0; c < 3; c++)
        {
            for (var r = 0; r < 5; r++)
            {
                x.Data.Slice((c * 30) + (r * 6), 6).CopyTo(padded.Data[((c * 64) + (r * 8))..]);
            }
        }

        using (Autograd.NoGrad())
        {
            var a = model.Forward(x);
            var b = model.Forward(padded);
            for (var c = 0; c < 5; c++)
            {
                for (var r = 0; r < 5; r++)
                {
                    for (var q = 0; q < 6; q++)
                    {
                        Assert.Equal(b.Data[(c * 64) + (r * 8) + q], a.Data[(c * 30) + (r * 6) + q]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Forward_TrainingOnOneByOne_ThrowsLikePyTorch()
    {
        var e = Assert.Throws<ArgumentException>(() => new UNet(3, 2, 5).Forward(new Tensor(1, 3, 1, 1)));
        Assert.Contains("more than one value per channel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateDict_Names_FollowPyTorchConvention()
    {
        var names = new UNet(2, 4, 5).StateDict().Keys.ToList();
        Assert.Contains("encoders.0.conv1.weight", names);
        Assert.Contains("encoders.1.bn2.running_var", names);
        Assert.Contains("bottleneck.conv2.weight", names);
        Assert.Contains("ups.1.bias", names);
        Assert.Contains("decoders.0.bn1.running_mean", names);
        Assert.Contains("head.bias", names);
        Assert.DoesNotContain("encoders.0.conv1.bias", names);
    }

    [Fact]
    public void Training_SameSeedAndThreads_BitIdentical()
    {
        var threads = EngineThreads.Count;
        try
        {
            EngineThreads.Count = 2;
            Assert.Equal(TrainFewSteps(null), TrainFewSteps(null));
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }

    [Fact]
    public void Training_InArena_SameResultsAndNoGrowthAfterFirstStep()
    {
        var threads = EngineThreads.Count;
        try
        {
            EngineThreads.Count = 2;
            var arena = new TensorArena();
            Assert.Equal(TrainFewSteps(null), TrainFewSteps(arena));
            var capacity = arena.CapacityBytes;
            Assert.True(capacity > 0);
            TrainFewSteps(arena);
            Assert.Equal(capacity, arena.CapacityBytes);
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }

    [Fact]
    public void Forward_WrongChannels_ThrowsNamingShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new UNet(2, 4, 5).Forward(new Tensor(1, 1, 8, 8)));
        Assert.Contains("[1,1,8,8]", e.Message, StringComparison.Ordinal);
    }

    private static float[] TrainFewSteps(TensorArena? arena)
    {
        using var scope = arena is null ? default(ArenaScope?) : TensorArena.Use(arena);
        var model = new UNet(new UNetOptions { Depth = 2, BaseWidth = 4, Classes = 3, BottleneckDropout = 0.2f }, seed: 11);
        var opt = new Sgd(model.NamedParameters(), 0.05, momentum: 0.9);
        var x = GradCheck.Random(3, 2, 3, 12, 20);
        var labels = Enumerable.Range(0, 2 * 12 * 20).Select(i => (byte)((i / 7) % 3)).ToArray();
        var loss = new SegmentationLoss(new CrossEntropyLoss(3), new DiceLoss(3));
        for (var s = 0; s < 3; s++)
        {
            arena?.Reset();
            opt.ZeroGrad();
            loss.Forward(model.Forward(x), labels).Backward();
            GradientClipping.ClipByNorm(model.NamedParameters(), 5.0);
            opt.Step();
        }

        return model.StateDict().Values.SelectMany(t => t.ToArray()).ToArray();
    }
}
