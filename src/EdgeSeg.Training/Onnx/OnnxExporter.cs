using EdgeSeg.Core.Segmentation;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Onnx.Proto;
using Google.Protobuf;
using static EdgeSeg.Training.Onnx.OnnxGraphBuilder;

namespace EdgeSeg.Training.Onnx;

/// <summary>
/// Exports a <see cref="SegmentationNetwork"/> (a <see cref="UNet"/> or a <see cref="ResNetUNet"/>) in evaluation
/// mode as an ONNX model (opset 17, IR version 8) with dynamic batch, height and width: Pad (bottom/right zeros to
/// the network's multiple, computed from the input's Shape), Conv with batch normalisation folded in, Relu, Add
/// (residual blocks), MaxPool, ConvTranspose or Resize (linear half_pixel, or nearest x2), Concat, a 1x1 Conv head
/// and a Slice cropping the padding back off. Convolution weights are stored as <see cref="WeightFormat"/> says. The model card goes into metadata_props (key
/// <see cref="ModelCard.MetadataKey"/>) and beside the model as <c>.json</c>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset the exported graph uses.</summary>
    public const int Opset = 17;

    /// <summary>
    /// Writes <paramref name="path"/> and the card beside it (<see cref="ModelCard.PathBeside"/>). The card must be
    /// dynamic with <c>multipleOf</c> a multiple of 2^depth, and have one <c>logits</c> output with one class name per
    /// model class; the graph's input and output take the card's names. The model is not modified.
    /// </summary>
    /// <exception cref="ArgumentException">The card does not fit the model; the message names the field.</exception>
    public static void Export(SegmentationNetwork model, string path, ModelCard card, WeightFormat weights = WeightFormat.Full)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(card);
        Validate(model, card);
        var bytes = Build(model, card, weights).ToByteArray();
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
        File.WriteAllText(ModelCard.PathBeside(path), card.ToJson());
    }

    /// <summary>
    /// A model card for <paramref name="model"/>: dynamic input (frames scaled to <paramref name="workingHeight"/>, the
    /// height it was trained at, when given), one logits output named <c>logits</c>.
    /// </summary>
    public static ModelCard DefaultCard(
        SegmentationNetwork model, string name, IReadOnlyList<string> classNames, IReadOnlyList<float> mean, IReadOnlyList<float> std, ColorOrder colorOrder = ColorOrder.Rgb, int? workingHeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelCard
        {
            Name = name,
            Input = new ModelCardInput { Name = "input", ColorOrder = colorOrder, Mean = mean, Std = std, MultipleOf = model.MultipleOf, WorkingHeight = workingHeight },
            Outputs = [new ModelCardOutput { Name = "logits", Kind = OutputKind.Logits, Classes = classNames }],
        };
    }

    private static void Validate(SegmentationNetwork model, ModelCard card)
    {
        if (!card.Input.IsDynamic || card.Input.MultipleOf is not { } multiple || multiple % model.MultipleOf != 0)
        {
            throw new ArgumentException($"card input.multipleOf must be set (dynamic input) to a multiple of {model.MultipleOf}; it is {card.Input.MultipleOf?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}.", nameof(card));
        }

        if (card.Input.Mean.Count != model.InputChannels || card.Input.Std.Count != model.InputChannels)
        {
            throw new ArgumentException($"card input.mean and input.std must have {model.InputChannels} entries.", nameof(card));
        }

        if (card.Outputs.Count != 1 || card.Outputs[0].Kind != OutputKind.Logits)
        {
            throw new ArgumentException("card outputs must be exactly one output of kind logits.", nameof(card));
        }

        if (card.Outputs[0].Classes.Count != model.Classes)
        {
            throw new ArgumentException($"card outputs[0].classes has {card.Outputs[0].Classes.Count} names; the model has {model.Classes} classes.", nameof(card));
        }
    }

    internal static ModelProto Build(SegmentationNetwork model, ModelCard card, WeightFormat weights = WeightFormat.Full)
    {
        var g = new OnnxGraphBuilder(weights);
        var input = card.Input.Name;
        var output = card.Outputs[0].Name;
        g.Graph.Input.Add(FloatTensor(input, "N", model.InputChannels, "H", "W"));
        g.Graph.Output.Add(FloatTensor(output, "N", model.Classes, "H", "W"));

        // Pad bottom/right to a multiple of m: pads = [0,0,0,0, 0,0, ceil(hw/m)*m - hw].
        var m = model.MultipleOf;
        var shape = g.Node("Shape", [input]);
        var hw = g.Node("Slice", [shape, g.Int64Constant("hw_starts", 2), g.Int64Constant("hw_ends", 4), g.Int64Constant("hw_axes", 0)]);
        var mConst = g.Int64Constant("multiple", m);
        var up = g.Node("Mul", [g.Node("Div", [g.Node("Add", [hw, g.Int64Constant("multiple_minus_1", m - 1)]), mConst]), mConst]);
        var padAmount = g.Node("Sub", [up, hw]);
        var pads = g.Node("Concat", [g.Int64Constant("pads_head", 0, 0, 0, 0, 0, 0), padAmount], Int("axis", 0));
        var x = g.Node("Pad", [input, pads], String("mode", "constant"));

        var logits = model switch
        {
            UNet unet => UNetBody(g, unet, x),
            ResNetUNet resnet => ResNetUNetBody(g, resnet, x),
            _ => throw new NotSupportedException($"no ONNX export for {model.GetType().Name}."),
        };

        // Crop the padding: logits[:, :, :H, :W].
        var crop = new NodeProto { OpType = "Slice", Name = "crop_node" };
        crop.Input.AddRange([logits, g.Int64Constant("crop_starts", 0, 0), hw, g.Int64Constant("crop_axes", 2, 3)]);
        crop.Output.Add(output);
        g.Graph.Node.Add(crop);

        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "edgeseg-train",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = g.Graph,
            DocString = $"EdgeSeg {model.Summary}; {model.Classes} classes; weights {weights}.",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = ModelCard.MetadataKey, Value = card.ToJson() });
        return proto;
    }

    private static string UNetBody(OnnxGraphBuilder g, UNet model, string x)
    {
        var skips = new List<string>();
        for (var i = 0; i < model.Encoders.Count; i++)
        {
            x = DoubleConv(g, model.Encoders[i], x, $"encoders.{i}");
            skips.Add(x);
            x = g.Node("MaxPool", [x], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        }

        x = DoubleConv(g, model.Bottleneck, x, "bottleneck");
        for (var j = 0; j < model.Decoders.Count; j++)
        {
            var skip = skips[skips.Count - 1 - j];
            if (model.Ups[j] is { } upConv)
            {
                var w = g.Weight($"ups.{j}.weight", upConv.Weight.ToArray(), upConv.InChannels, upConv.OutChannels, upConv.KernelSize, upConv.KernelSize);
                var b = g.Initializer($"ups.{j}.bias", upConv.Bias.ToArray(), upConv.OutChannels);
                x = g.Node("ConvTranspose", [x, w, b], Ints("kernel_shape", upConv.KernelSize, upConv.KernelSize), Ints("strides", upConv.Stride, upConv.Stride));
            }
            else
            {
                // Exactly x2: the padded input makes every level's size even.
                var scales = g.Initializer($"ups.{j}.scales", [1f, 1f, 2f, 2f], 4);
                x = g.Node("Resize", [x, string.Empty, scales], String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel"));
            }

            x = g.Node("Concat", [skip, x], Int("axis", 1));
            x = DoubleConv(g, model.Decoders[j], x, $"decoders.{j}");
        }

        return Head(g, model.Head, x);
    }

    private static string ResNetUNetBody(OnnxGraphBuilder g, ResNetUNet model, string x)
    {
        var encoder = model.Encoder;
        var features = new List<string>();
        x = ConvBn(g, encoder.Conv1, encoder.Bn1, x, "encoder.conv1", relu: true);
        features.Add(x);

        // Symmetric padding 1: on the even sizes the padded input guarantees, the same windows as the original's 1-before, 0-after.
        x = g.Node("MaxPool", [x], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1));
        for (var s = 0; s < 4; s++)
        {
            for (var j = 0; j < encoder.Stage(s).Count; j++)
            {
                var block = encoder.Stage(s)[j];
                var name = $"encoder.layer{s + 1}.{j}";
                var main = ConvBn(g, block.Conv1, block.Bn1, x, name + ".conv1", relu: true);
                main = ConvBn(g, block.Conv2, block.Bn2, main, name + ".conv2", relu: false);
                var shortcut = block.ProjectionConv is { } proj ? ConvBn(g, proj, block.ProjectionBn!, x, name + ".proj", relu: false) : x;
                x = g.Node("Relu", [g.Node("Add", [main, shortcut])]);
            }

            features.Add(x);
        }

        var scales = g.Initializer("decoder.scales", [1f, 1f, 2f, 2f], 4);
        for (var j = 0; j < model.Decoders.Count; j++)
        {
            x = g.Node("Resize", [x, string.Empty, scales], String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"));
            if (j < 4)
            {
                x = g.Node("Concat", [x, features[3 - j]], Int("axis", 1));
            }

            x = DoubleConv(g, model.Decoders[j], x, $"decoders.{j}");
        }

        return Head(g, model.Head, x);
    }

    private static string Head(OnnxGraphBuilder g, Conv2d head, string x)
    {
        var weight = g.Weight("head.weight", head.Weight.ToArray(), head.OutChannels, head.InChannels, 1, 1);
        var bias = g.Initializer("head.bias", head.Bias!.ToArray(), head.OutChannels);
        return g.Node("Conv", [x, weight, bias], Ints("kernel_shape", 1, 1));
    }

    private static string DoubleConv(OnnxGraphBuilder g, DoubleConv block, string x, string name)
    {
        x = ConvBn(g, block.Conv1, block.Bn1, x, name + ".conv1", relu: true);
        return ConvBn(g, block.Conv2, block.Bn2, x, name + ".conv2", relu: true);
    }

    // Batch norm in evaluation mode is affine per channel, so it folds into the convolution before it:
    // w' = w * gamma / sqrt(var + eps), b' = beta + (b - mean) * gamma / sqrt(var + eps).
    private static string ConvBn(OnnxGraphBuilder g, Conv2d conv, BatchNorm2d bn, string x, string name, bool relu)
    {
        var o = conv.OutChannels;
        var per = conv.InChannels * conv.KernelSize * conv.KernelSize;
        var w = conv.Weight.ToArray();
        var b = new float[o];
        for (var oc = 0; oc < o; oc++)
        {
            var s = bn.Weight.Data[oc] / Math.Sqrt(bn.RunningVar.Data[oc] + (double)bn.Eps);
            for (var i = 0; i < per; i++)
            {
                w[(oc * per) + i] = (float)(w[(oc * per) + i] * s);
            }

            var bias = conv.Bias?.Data[oc] ?? 0f;
            b[oc] = (float)(bn.Bias.Data[oc] + ((bias - bn.RunningMean.Data[oc]) * s));
        }

        var wName = g.Weight(name + ".weight", w, o, conv.InChannels, conv.KernelSize, conv.KernelSize);
        var bName = g.Initializer(name + ".bias", b, o);
        var k = conv.KernelSize;
        var p = conv.Padding;
        var y = g.Node("Conv", [x, wName, bName], Ints("kernel_shape", k, k), Ints("pads", p, p, p, p), Ints("strides", conv.Stride, conv.Stride), Ints("dilations", conv.Dilation, conv.Dilation));
        return relu ? g.Node("Relu", [y]) : y;
    }
}
