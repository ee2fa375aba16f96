using System.Runtime.InteropServices;
using EdgeSeg.Training.Onnx.Proto;

namespace EdgeSeg.Training.Pretrained;

/// <summary>Reads float tensors out of ONNX initializers (raw little-endian data or the float_data field).</summary>
internal static class OnnxInitializers
{
    /// <summary>The initializer's values and dims; throws <see cref="InvalidDataException"/> naming it when it is not float32.</summary>
    public static (float[] Values, long[] Dims) Read(TensorProto tensor, string source)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"{source}: initializer '{tensor.Name}' has data type {tensor.DataType}; only float32 (1) is read.");
        }

        var dims = tensor.Dims.ToArray();
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
        }

        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            if (tensor.RawData.Length != count * sizeof(float))
            {
                throw new InvalidDataException($"{source}: initializer '{tensor.Name}' holds {tensor.RawData.Length} bytes; dims [{string.Join(",", dims)}] need {count * sizeof(float)}.");
            }

            values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }
        else
        {
            if (tensor.FloatData.Count != count)
            {
                throw new InvalidDataException($"{source}: initializer '{tensor.Name}' holds {tensor.FloatData.Count} floats; dims [{string.Join(",", dims)}] need {count}.");
            }

            values = [.. tensor.FloatData];
        }

        return (values, dims);
    }
}
