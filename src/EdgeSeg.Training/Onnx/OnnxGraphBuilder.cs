using System.Runtime.InteropServices;
using EdgeSeg.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeSeg.Training.Onnx;

/// <summary>Builds an ONNX graph node by node with unique names; initializers as raw little-endian data.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>Weights with at least this many values are stored as int8 under <see cref="WeightFormat.Quantized"/>.</summary>
    public const int Int8Threshold = 1_000_000;

    private readonly WeightFormat _weights;
    private int _counter;

    public OnnxGraphBuilder(WeightFormat weights = WeightFormat.Full) => _weights = weights;

    public GraphProto Graph { get; } = new() { Name = "edgeseg_unet" };

    public string Fresh(string prefix) => $"{prefix}_{_counter++}";

    public string Initializer(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>
    /// A convolution weight in the builder's <see cref="WeightFormat"/>: returns the name of a float32 tensor, either the
    /// initializer itself or the output of the Cast (and Mul) that restores it, folded by ONNX Runtime when it loads the model.
    /// </summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        if (_weights == WeightFormat.Full)
        {
            return Initializer(name, values, dims);
        }

        if (_weights == WeightFormat.Quantized && values.Length >= Int8Threshold)
        {
            return Int8Weight(name, values, dims);
        }

        var half = new System.Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            half[i] = (System.Half)values[i];
        }

        var t = new TensorProto { Name = name + "_f16", DataType = (int)TensorProto.Types.DataType.Float16, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan())) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return Node("Cast", [t.Name], Int("to", (long)TensorProto.Types.DataType.Float));
    }

    // Symmetric per-output-channel int8: scale = max|w| / 127 over the channel, q = round(w / scale), zero point 0.
    private string Int8Weight(string name, float[] values, long[] dims)
    {
        var channels = (int)dims[0];
        var per = values.Length / channels;
        var q = new sbyte[values.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var slice = values.AsSpan(c * per, per);
            var max = 0f;
            foreach (var v in slice)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            var scale = max > 0f ? max / 127f : 1f;
            scales[c] = scale;
            for (var i = 0; i < per; i++)
            {
                q[(c * per) + i] = (sbyte)Math.Clamp(MathF.Round(slice[i] / scale), -127f, 127f);
            }
        }

        var t = new TensorProto { Name = name + "_q", DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(q.AsSpan())) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);

        // Cast and Mul rather than DequantizeLinear: the same values (q * scale in float32), but ONNX Runtime's constant
        // folding leaves DequantizeLinear in the graph for its QDQ fusions, so it would run on every Run; Cast and Mul
        // of initializers are folded into one float32 weight when the session loads.
        var scaleDims = new long[dims.Length];
        Array.Fill(scaleDims, 1L);
        scaleDims[0] = channels;
        var scaleName = Initializer(name + "_scale", scales, scaleDims);
        var restored = Node("Cast", [t.Name], Int("to", (long)TensorProto.Types.DataType.Float));
        return Node("Mul", [restored, scaleName]);
    }

    public string Int64Constant(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.Add(values.Length);
        Graph.Initializer.Add(t);
        return name;
    }

    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Fresh(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static ValueInfoProto FloatTensor(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
