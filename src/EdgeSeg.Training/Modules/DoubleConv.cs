using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>U-Net block: (3x3 conv without bias, batch norm, ReLU) twice. Children <c>conv1, bn1, conv2, bn2</c>.</summary>
public sealed class DoubleConv : Module
{
    /// <summary>Creates the block.</summary>
    public DoubleConv(int inChannels, int outChannels, Random random)
    {
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 3, random, padding: 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels));
        Conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, random, padding: 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
    }

    /// <summary>First convolution.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>First batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>Second convolution.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Second batch norm.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <inheritdoc />
    /// <remarks>Each batch norm and its ReLU run as one fused operation (<see cref="Ops.BatchNormRelu"/>).</remarks>
    public override Tensor Forward(Tensor input)
        => Bn2.ForwardRelu(Conv2.Forward(Bn1.ForwardRelu(Conv1.Forward(input))));
}
