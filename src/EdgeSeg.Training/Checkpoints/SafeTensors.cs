using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Checkpoints;

/// <summary>
/// The safetensors file format (huggingface/safetensors): 8-byte little-endian header length, a UTF-8 JSON header
/// mapping each tensor name to {dtype, shape, data_offsets} plus an optional string map <c>__metadata__</c>, then
/// the raw little-endian tensor bytes. Only F32 tensors are written or read.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in order) and <paramref name="metadata"/> to <paramref name="path"/> (replaced atomically).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        using var headerStream = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerStream))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata)
                {
                    json.WriteString(k, v);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, t) in list)
            {
                if (name == MetadataKey)
                {
                    throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                }

                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)t.Length * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
        var header = headerStream.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            file.Write(len);
            file.Write(header);
            for (var i = header.Length; i < padded; i++)
            {
                file.WriteByte((byte)' ');
            }

            foreach (var (_, t) in list)
            {
                WriteFloats(file, t.Data);
            }
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads every tensor (in header order) and the metadata of a safetensors file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid F32 safetensors file; the message says why.</exception>
    public static (OrderedDictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"{path}: too short for a safetensors file ({bytes.Length} bytes).");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size {bytes.Length}.");
        }

        var dataStart = 8 + (int)headerLength;
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                var dtype = prop.Value.GetProperty("dtype").GetString();
                if (dtype != "F32")
                {
                    throw new InvalidDataException($"{path}: tensor '{prop.Name}' has dtype {dtype}; only F32 is supported.");
                }

                var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2)
                {
                    throw new InvalidDataException($"{path}: tensor '{prop.Name}' data_offsets must have two entries.");
                }

                entries.Add((prop.Name, shape, offsets[0], offsets[1]));
            }

            foreach (var (name, shape, begin, end) in entries)
            {
                var count = shape.Aggregate(1L, (a, d) => a * d);
                if (end - begin != count * sizeof(float) || begin < 0 || dataStart + end > bytes.Length)
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' offsets [{begin}, {end}) do not fit shape [{string.Join(",", shape)}] and the file.");
                }

                var values = new float[count];
                ReadFloats(bytes.AsSpan(dataStart + (int)begin, (int)(end - begin)), values);
                tensors.Add(name, shape.Length == 0 ? new Tensor(values, 1) : new Tensor(values, shape));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: malformed safetensors header: {e.Message}", e);
        }

        return (tensors, metadata);
    }

    private static void WriteFloats(Stream s, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            s.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> b = stackalloc byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            s.Write(b);
        }
    }

    private static void ReadFloats(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(i * 4, 4));
        }
    }
}
