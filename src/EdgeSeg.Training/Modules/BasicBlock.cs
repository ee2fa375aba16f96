using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>
/// ResNet's basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), both convolutions 3x3 without bias,
/// the first with the block's stride. The shortcut is the identity, or a 1x1 convolution with the stride and a batch
/// norm (the projection) when the stride or the channel count changes. Children <c>conv1, bn1, conv2, bn2</c> and,
/// with a projection, <c>proj_conv, proj_bn</c>.
/// </summary>
public sealed class BasicBlock : Module
{
    /// <summary>Creates the block (projection when <paramref name="stride"/> is not 1 or the channels change).</summary>
    public BasicBlock(int inChannels, int outChannels, int stride, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        Stride = stride;
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 3, random, stride: stride, padding: 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels));
        Conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, random, padding: 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels)
        {
            ProjectionConv = RegisterModule("proj_conv", new Conv2d(inChannels, outChannels, 1, random, stride: stride, bias: false));
            ProjectionBn = RegisterModule("proj_bn", new BatchNorm2d(outChannels));
        }
    }

    /// <summary>The stride of the first convolution and of the projection.</summary>
    public int Stride { get; }

    /// <summary>First 3x3 convolution (carries the stride).</summary>
    public Conv2d Conv1 { get; }

    /// <summary>First batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>Second 3x3 convolution.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Second batch norm.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>The projection's 1x1 convolution, or null for an identity shortcut.</summary>
    public Conv2d? ProjectionConv { get; }

    /// <summary>The projection's batch norm, or null for an identity shortcut.</summary>
    public BatchNorm2d? ProjectionBn { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var main = Bn2.Forward(Conv2.Forward(Bn1.ForwardRelu(Conv1.Forward(input))));
        var shortcut = ProjectionConv is null ? input : ProjectionBn!.Forward(ProjectionConv.Forward(input));
        return Ops.Relu(Ops.Add(main, shortcut));
    }
}
