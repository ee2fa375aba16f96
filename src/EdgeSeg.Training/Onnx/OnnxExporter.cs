using EdgeSeg.Core.Segmentation;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Onnx.Proto;
using Google.Protobuf;
using static EdgeSeg.Training.Onnx.OnnxGraphBuilder;

namespace EdgeSeg.Training.Onnx;

/// <summary>
/// Exports a <see cref="UNet"/> in evaluation mode as an ONNX model (opset 17, IR version 8) with dynamic batch,
/// height and width: Pad (bottom/right zeros to a multiple of 2^depth, computed from the input's Shape), Conv with
/// batch normalisation folded in, Relu, MaxPool, ConvTranspose or Resize (linear, half_pixel), Concat, a 1x1 Conv
/// head and a Slice cropping the padding back off. The model card goes into metadata_props (key
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
    public static void Export(UNet model, string path, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(card);
        Validate(model, card);
        var bytes = Build(model, card).ToByteArray();
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
        UNet model, string name, IReadOnlyList<string> classNames, IReadOnlyList<float> mean, IReadOnlyList<float> std, ColorOrder colorOrder = ColorOrder.Rgb, int? workingHeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelCard
        {
            Name = name,
            Input = new ModelCardInput { Name = "input", ColorOrder = colorOrder, Mean = mean, Std = std, MultipleOf = model.MultipleOf, WorkingHeight = workingHeight },
            Outputs = [new ModelCardOutput { Name = "logits", Kind = OutputKind.Logits, Classes = classNames }],
        };
    }

    private static void Validate(UNet model, ModelCard card)
    {
        if (!card.Input.IsDynamic || card.Input.MultipleOf is not { } multiple || multiple % model.MultipleOf != 0)
        {
            throw new ArgumentException($"card input.multipleOf must be set (dynamic input) to a multiple of {model.MultipleOf}; it is {card.Input.MultipleOf?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}.", nameof(card));
        }

        if (card.Input.Mean.Count != model.Options.InputChannels || card.Input.Std.Count != model.Options.InputChannels)
        {
            throw new ArgumentException($"card input.mean and input.std must have {model.Options.InputChannels} entries.", nameof(card));
        }

        if (card.Outputs.Count != 1 || card.Outputs[0].Kind != OutputKind.Logits)
        {
            throw new ArgumentException("card outputs must be exactly one output of kind logits.", nameof(card));
        }

        if (card.Outputs[0].Classes.Count != model.Options.Classes)
        {
            throw new ArgumentException($"card outputs[0].classes has {card.Outputs[0].Classes.Count} names; the model has {model.Options.Classes} classes.", nameof(card));
        }
    }

    internal static ModelProto Build(UNet model, ModelCard card)
    {
        var g = new OnnxGraphBuilder();
        var input = card.Input.Name;
        var output = card.Outputs[0].Name;
        g.Graph.Input.Add(FloatTensor(input, "N", model.Options.InputChannels, "H", "W"));
        g.Graph.Output.Add(FloatTensor(output, "N", model.Options.Classes, "H", "W"));

        // Pad bottom/right to a multiple of m: pads = [0,0,0,0, 0,0, ceil(hw/m)*m - hw].
        var m = model.MultipleOf;
        var shape = g.Node("Shape", [input]);
        var hw = g.Node("Slice", [shape, g.Int64Constant("hw_starts", 2), g.Int64Constant("hw_ends", 4), g.Int64Constant("hw_axes", 0)]);
        var mConst = g.Int64Constant("multiple", m);
        var up = g.Node("Mul", [g.Node("Div", [g.Node("Add", [hw, g.Int64Constant("multiple_minus_1", m - 1)]), mConst]), mConst]);
        var padAmount = g.Node("Sub", [up, hw]);
        var pads = g.Node("Concat", [g.Int64Constant("pads_head", 0, 0, 0, 0, 0, 0), padAmount], Int("axis", 0));
        var x = g.Node("Pad", [input, pads], String("mode", "constant"));

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
                var w = g.Initializer($"ups.{j}.weight", upConv.Weight.ToArray(), upConv.InChannels, upConv.OutChannels, upConv.KernelSize, upConv.KernelSize);
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

        var head = model.Head;
        var hwgt = g.Initializer("head.weight", head.Weight.ToArray(), head.OutChannels, head.InChannels, 1, 1);
        var hb = g.Initializer("head.bias", head.Bias!.ToArray(), head.OutChannels);
        var logits = g.Node("Conv", [x, hwgt, hb], Ints("kernel_shape", 1, 1));

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
            DocString = $"EdgeSeg U-Net depth {model.Options.Depth}, base width {model.Options.BaseWidth}, {model.Options.Classes} classes, {model.Options.Upsampling} up-sampling.",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = ModelCard.MetadataKey, Value = card.ToJson() });
        return proto;
    }

    private static string DoubleConv(OnnxGraphBuilder g, DoubleConv block, string x, string name)
    {
        x = ConvBnRelu(g, block.Conv1, block.Bn1, x, name + ".conv1");
        return ConvBnRelu(g, block.Conv2, block.Bn2, x, name + ".conv2");
    }

    // Batch norm in evaluation mode is affine per channel, so it folds into the convolution before it:
    // w' = w * gamma / sqrt(var + eps), b' = beta + (b - mean) * gamma / sqrt(var + eps).
    private static string ConvBnRelu(OnnxGraphBuilder g, Conv2d conv, BatchNorm2d bn, string x, string name)
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

        var wName = g.Initializer(name + ".weight", w, o, conv.InChannels, conv.KernelSize, conv.KernelSize);
        var bName = g.Initializer(name + ".bias", b, o);
        var k = conv.KernelSize;
        var p = conv.Padding;
        var y = g.Node("Conv", [x, wName, bName], Ints("kernel_shape", k, k), Ints("pads", p, p, p, p), Ints("strides", conv.Stride, conv.Stride), Ints("dilations", conv.Dilation, conv.Dilation));
        return g.Node("Relu", [y]);
    }
}
