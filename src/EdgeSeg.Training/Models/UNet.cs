using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Models;

/// <summary>
/// U-Net: per encoder level a <see cref="DoubleConv"/> then 2x2 max-pool; a bottleneck <see cref="DoubleConv"/>;
/// per decoder level an up-sampling, concatenation with the level's skip, and a <see cref="DoubleConv"/>; a 1x1
/// head. Any H x W works: the input is zero-padded at the bottom and right to a multiple of 2^Depth and the padding
/// is cropped from the logits, which have the input's size. State-dict names: <c>encoders.i.*</c>,
/// <c>bottleneck.*</c>, <c>ups.i.*</c> (transposed convolutions, deepest first), <c>decoders.i.*</c> (deepest
/// first), <c>head.*</c>.
/// </summary>
public sealed class UNet : SegmentationNetwork
{
    private readonly DoubleConv[] _encoders;
    private readonly DoubleConv _bottleneck;
    private readonly ConvTranspose2d?[] _ups;
    private readonly DoubleConv[] _decoders;
    private readonly Conv2d _head;
    private readonly Random _dropoutRandom;

    /// <summary>A U-Net of the given depth, base width and classes (transposed-conv up-sampling), initialised from <paramref name="seed"/>.</summary>
    public UNet(int depth, int baseWidth, int classes, int seed = 0)
        : this(new UNetOptions { Depth = depth, BaseWidth = baseWidth, Classes = classes }, seed)
    {
    }

    /// <summary>A U-Net with the given options, initialised deterministically from <paramref name="seed"/>.</summary>
    public UNet(UNetOptions options, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var random = new Random(seed);
        _dropoutRandom = new Random(seed ^ 0x5EED);
        int depth = options.Depth, b = options.BaseWidth;
        _encoders = new DoubleConv[depth];
        var inCh = options.InputChannels;
        for (var i = 0; i < depth; i++)
        {
            _encoders[i] = RegisterModule($"encoders.{i}", new DoubleConv(inCh, b << i, random));
            inCh = b << i;
        }

        _bottleneck = RegisterModule("bottleneck", new DoubleConv(inCh, b << depth, random));
        _ups = new ConvTranspose2d?[depth];
        _decoders = new DoubleConv[depth];
        for (var j = 0; j < depth; j++)
        {
            // Decoder j works at level depth-1-j.
            var level = depth - 1 - j;
            var below = b << (level + 1);
            var skip = b << level;
            int concat;
            if (options.Upsampling == UpsamplingMode.TransposedConv)
            {
                _ups[j] = RegisterModule($"ups.{j}", new ConvTranspose2d(below, skip, random));
                concat = skip + skip;
            }
            else
            {
                concat = below + skip;
            }

            _decoders[j] = RegisterModule($"decoders.{j}", new DoubleConv(concat, skip, random));
        }

        _head = RegisterModule("head", new Conv2d(b, options.Classes, 1, random));
    }

    /// <summary>The architecture.</summary>
    public UNetOptions Options { get; }

    /// <summary>Input sizes are padded to a multiple of this (2^Depth).</summary>
    public override int MultipleOf => 1 << Options.Depth;

    /// <inheritdoc />
    public override int Classes => Options.Classes;

    /// <inheritdoc />
    public override int InputChannels => Options.InputChannels;

    /// <inheritdoc />
    public override string Architecture => "unet";

    /// <inheritdoc />
    public override string Summary => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"U-Net depth {Options.Depth}, base width {Options.BaseWidth}; {ParameterCount:N0} parameters");

    internal IReadOnlyList<DoubleConv> Encoders => _encoders;

    internal DoubleConv Bottleneck => _bottleneck;

    internal IReadOnlyList<ConvTranspose2d?> Ups => _ups;

    internal IReadOnlyList<DoubleConv> Decoders => _decoders;

    internal Conv2d Head => _head;

    /// <summary>Logits [N, Classes, H, W] for input [N, InputChannels, H, W] (normalised pixels).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(1) != Options.InputChannels)
        {
            throw new ArgumentException($"input must be [N, {Options.InputChannels}, H, W]; it is {input.ShapeString}.", nameof(input));
        }

        int h = input.Dim(2), w = input.Dim(3), m = MultipleOf;
        var x = Ops.PadBottomRight(input, ((h + m - 1) / m * m) - h, ((w + m - 1) / m * m) - w);
        var skips = new Tensor[_encoders.Length];
        for (var i = 0; i < _encoders.Length; i++)
        {
            skips[i] = _encoders[i].Forward(x);
            x = Ops.MaxPool2x2(skips[i]);
        }

        x = _bottleneck.Forward(x);
        if (Options.BottleneckDropout > 0f)
        {
            x = Ops.Dropout(x, Options.BottleneckDropout, IsTraining, _dropoutRandom);
        }

        for (var j = 0; j < _decoders.Length; j++)
        {
            var skip = skips[_encoders.Length - 1 - j];
            x = _ups[j] is { } up ? up.Forward(x) : Ops.UpsampleBilinear(x, skip.Dim(2), skip.Dim(3));
            x = _decoders[j].Forward(Ops.ConcatChannels(skip, x));
        }

        return Ops.CropTopLeft(_head.Forward(x), h, w);
    }
}
