using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>Transposed convolution (kernel = stride, no padding): <c>weight</c> [in, out, k, k] (PyTorch's layout), <c>bias</c> [out].</summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Creates the layer with weights drawn from <paramref name="random"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Random random, int kernelSize = 2, int stride = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        var fanIn = inChannels * kernelSize * kernelSize;
        Weight = RegisterParameter("weight", Tensor.RandomNormal(random, MathF.Sqrt(2f / fanIn), inChannels, outChannels, kernelSize, kernelSize));
        Bias = RegisterParameter("bias", new Tensor(outChannels));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>[in, out, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>[out].</summary>
    public Tensor Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.ConvTranspose2d(input, Weight, Bias, Stride);
}
