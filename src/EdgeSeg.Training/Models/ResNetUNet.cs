using System.Globalization;
using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Models;

/// <summary>
/// A U-Net with a <see cref="ResNetEncoder"/>, laid out as segmentation_models.pytorch's <c>Unet</c> with a resnet18
/// encoder: five decoder blocks, each up-sampling by 2 (nearest), concatenating the encoder's features of that scale
/// (1/16, 1/8, 1/4, 1/2; none at full size) and applying a <see cref="DoubleConv"/>; then a 1x1 head. The input is
/// zero-padded at the bottom and right to a multiple of 32 and the padding cropped from the logits, which have the
/// input's size. Because every padded size is a multiple of 32, every stride-2 layer sees an even size.
/// State-dict names: <c>encoder.*</c> (<see cref="ResNetEncoder"/>), <c>decoders.{0-4}.*</c> (deepest first),
/// <c>head.*</c>.
/// </summary>
public sealed class ResNetUNet : SegmentationNetwork
{
    private readonly DoubleConv[] _decoders;

    /// <summary>Creates the network with weights drawn from <paramref name="seed"/> (import pretrained ones afterwards).</summary>
    public ResNetUNet(ResNetUNetOptions options, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var random = new Random(seed);
        Encoder = RegisterModule("encoder", new ResNetEncoder(options.BlocksPerStage, random));

        // Decoder j takes the level below (512 channels for j = 0) and the encoder's features at 1/16, 1/8, 1/4, 1/2
        // (256, 128, 64, 64 channels); the last block works at full size with no skip.
        int[] skipChannels = [ResNetEncoder.StageChannels[2], ResNetEncoder.StageChannels[1], ResNetEncoder.StageChannels[0], 64, 0];
        _decoders = new DoubleConv[5];
        var below = ResNetEncoder.StageChannels[3];
        for (var j = 0; j < 5; j++)
        {
            _decoders[j] = RegisterModule($"decoders.{j}", new DoubleConv(below + skipChannels[j], options.DecoderChannels[j], random));
            below = options.DecoderChannels[j];
        }

        Head = RegisterModule("head", new Conv2d(below, options.Classes, 1, random));
    }

    /// <summary>The architecture.</summary>
    public ResNetUNetOptions Options { get; }

    /// <summary>The encoder.</summary>
    public ResNetEncoder Encoder { get; }

    /// <summary>The decoder blocks, deepest first.</summary>
    public IReadOnlyList<DoubleConv> Decoders => _decoders;

    /// <summary>The 1x1 head.</summary>
    public Conv2d Head { get; }

    /// <inheritdoc />
    public override int MultipleOf => 32;

    /// <inheritdoc />
    public override int Classes => Options.Classes;

    /// <inheritdoc />
    public override int InputChannels => 3;

    /// <inheritdoc />
    public override string Architecture => "resnet18-unet";

    /// <inheritdoc />
    public override string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"U-Net with a ResNet encoder (blocks {string.Join("-", Options.BlocksPerStage)}), decoder {string.Join("-", Options.DecoderChannels)}; {ParameterCount:N0} parameters");

    /// <summary>The encoder's parameters (for a learning-rate multiplier or freezing).</summary>
    public IReadOnlyList<Parameter> EncoderParameters() => [.. NamedParameters().Where(p => p.Name.StartsWith("encoder.", StringComparison.Ordinal))];

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(1) != InputChannels)
        {
            throw new ArgumentException($"input must be [N, {InputChannels}, H, W]; it is {input.ShapeString}.", nameof(input));
        }

        int h = input.Dim(2), w = input.Dim(3), m = MultipleOf;
        var x = Ops.PadBottomRight(input, ((h + m - 1) / m * m) - h, ((w + m - 1) / m * m) - w);
        var features = Encoder.Features(x);
        x = features[4];
        for (var j = 0; j < 5; j++)
        {
            x = Ops.UpsampleNearest2x(x);
            if (j < 4)
            {
                x = Ops.ConcatChannels(x, features[3 - j]);
            }

            x = _decoders[j].Forward(x);
        }

        return Ops.CropTopLeft(Head.Forward(x), h, w);
    }
}
