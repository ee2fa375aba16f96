using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Models;

/// <summary>
/// A ResNet encoder of basic blocks: a 7x7 stride-2 stem convolution (padding 3) with batch norm and ReLU, a 3x3
/// stride-2 max-pool (padding 1), then four stages of <see cref="BasicBlock"/>s with 64, 128, 256 and 512 channels,
/// stages 2-4 starting with a stride-2 block. <see cref="Forward"/> returns the deepest features;
/// <see cref="Features"/> returns the five scales a U-Net decoder takes: the stem's output (1/2, 64 channels) and
/// each stage's output (1/4, 1/8, 1/16, 1/32). Inputs must have H and W divisible by 32.
/// State-dict names: <c>conv1, bn1, layer{1-4}.{j}.*</c> (torchvision's, with <c>proj_conv/proj_bn</c> for its
/// <c>downsample.0/1</c>).
/// </summary>
public sealed class ResNetEncoder : Module
{
    /// <summary>Channels of the four stages.</summary>
    public static readonly IReadOnlyList<int> StageChannels = [64, 128, 256, 512];

    private readonly BasicBlock[][] _stages;

    /// <summary>Creates the encoder with <paramref name="blocksPerStage"/> blocks in each of the four stages.</summary>
    public ResNetEncoder(IReadOnlyList<int> blocksPerStage, Random random)
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(b => b is < 1 or > 16))
        {
            throw new ArgumentException($"blocksPerStage must hold four counts of 1..16; it is [{string.Join(", ", blocksPerStage)}].", nameof(blocksPerStage));
        }

        BlocksPerStage = [.. blocksPerStage];
        Conv1 = RegisterModule("conv1", new Conv2d(3, 64, 7, random, stride: 2, padding: 3, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(64));
        _stages = new BasicBlock[4][];
        var inChannels = 64;
        for (var s = 0; s < 4; s++)
        {
            _stages[s] = new BasicBlock[blocksPerStage[s]];
            for (var j = 0; j < blocksPerStage[s]; j++)
            {
                var stride = s > 0 && j == 0 ? 2 : 1;
                _stages[s][j] = RegisterModule($"layer{s + 1}.{j}", new BasicBlock(inChannels, StageChannels[s], stride, random));
                inChannels = StageChannels[s];
            }
        }
    }

    /// <summary>Blocks in each stage (ResNet-18: 2, 2, 2, 2; the ImageNet file we import: 2, 2, 2, 3).</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>Stem convolution.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>Stem batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>The blocks of stage <paramref name="stage"/> (0-3).</summary>
    public IReadOnlyList<BasicBlock> Stage(int stage) => _stages[stage];

    /// <summary>Every batch norm of the encoder.</summary>
    public IEnumerable<BatchNorm2d> BatchNorms()
    {
        yield return Bn1;
        foreach (var block in _stages.SelectMany(s => s))
        {
            yield return block.Bn1;
            yield return block.Bn2;
            if (block.ProjectionBn is { } bn)
            {
                yield return bn;
            }
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Features(input)[^1];

    /// <summary>The stem's output (1/2) and the four stages' outputs (1/4 to 1/32), in that order.</summary>
    public IReadOnlyList<Tensor> Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = new Tensor[5];
        var x = Bn1.ForwardRelu(Conv1.Forward(input));
        features[0] = x;
        x = Ops.MaxPool2d(x, 3, 2, 1);
        for (var s = 0; s < 4; s++)
        {
            foreach (var block in _stages[s])
            {
                x = block.Forward(x);
            }

            features[s + 1] = x;
        }

        return features;
    }
}
