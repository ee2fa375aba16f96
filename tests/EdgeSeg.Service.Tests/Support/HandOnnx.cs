using System.Text;
using TensorShape = System.Collections.Generic.List<(int? Value, string? Name)>;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// Tiny real ONNX models encoded by hand (only the onnx protobuf fields they need), for what the models in tests/models
/// cannot show: a model whose load takes seconds (a stop must be honoured during it), and a model that loads and
/// validates but fails every run.
/// </summary>
internal static class HandOnnx
{
    /// <summary>
    /// A model with a dynamic input [1, 3, H, W] that reshapes it to a fixed [1, 4, 8, 8] output <c>scores</c>: its card
    /// (dynamic, 4 classes) validates at load, and every run on a frame other than 8x8 (and 3 x H x W != 256) fails
    /// in ONNX Runtime. Writes the card beside it.
    /// </summary>
    public static void WriteFailingEveryRun(string modelPath)
    {
        TensorShape dims = [(null, "n"), (3, null), (null, "h"), (null, "w")];
        var shape = Concat(Varint(1, 4), Varint(2, 7), Str(8, "shape"), Bytes(7, Concat(EncodeVarint(1), EncodeVarint(4), EncodeVarint(8), EncodeVarint(8))));
        var node = Concat(Str(1, "input"), Str(1, "shape"), Str(2, "scores"), Str(4, "Reshape"));
        var graph = Concat(Message(1, node), Str(2, "failing"), Message(5, shape),
            Message(11, ValueInfo("input", dims)), Message(12, ValueInfo("scores", [(1, null), (4, null), (8, null), (8, null)])));
        File.WriteAllBytes(modelPath, Model(graph));
        File.WriteAllText(Path.ChangeExtension(modelPath, ".json"), """
            { "name": "failing", "input": { "name": "input", "multipleOf": 8 },
              "outputs": [ { "name": "scores", "kind": "logits", "classes": ["background", "road", "vehicle", "pedestrian"] } ] }
            """);
    }

    /// <summary>
    /// A real model whose load takes seconds: a chain of <paramref name="nodes"/> Add nodes (y = x + x + ...) on a
    /// float [1, 4] that ONNX Runtime's graph optimiser walks node by node, as a large model (or a TensorRT engine build)
    /// keeps the load busy. No card: were the load to finish, the model would be refused.
    /// </summary>
    public static void WriteSlowToLoad(string modelPath, int nodes)
    {
        var body = new List<byte>();
        var previous = "x";
        for (var i = 0; i < nodes; i++)
        {
            var output = i == nodes - 1 ? "y" : $"t{i}";
            body.AddRange(Message(1, Str(1, previous), Str(1, previous), Str(2, output), Str(4, "Add")));
            previous = output;
        }

        var graph = Concat([.. body], Str(2, "slow"), Message(11, ValueInfo("x", [(1, null), (4, null)])), Message(12, ValueInfo("y", [(1, null), (4, null)])));
        File.WriteAllBytes(modelPath, Model(graph));
    }

    private static byte[] Model(byte[] graph) => Concat(Varint(1, 8), Message(8, Str(1, ""), Varint(2, 13)), Message(7, graph));

    /// <summary>A float tensor value: each dimension fixed (value) or symbolic (name).</summary>
    private static byte[] ValueInfo(string name, TensorShape dims)
    {
        var shape = Concat([.. dims.Select(d => Message(1, d.Value is { } v ? Varint(1, (ulong)v) : Str(2, d.Name!)))]);
        return Concat(Str(1, name), Message(2, Message(1, Varint(1, 1), Message(2, shape))));
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Tag(int field, int wireType) => EncodeVarint((ulong)((field << 3) | wireType));

    private static byte[] Varint(int field, ulong value) => Concat(Tag(field, 0), EncodeVarint(value));

    private static byte[] Str(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, params byte[][] body) => Bytes(field, Concat(body));

    private static byte[] Bytes(int field, byte[] value) => Concat(Tag(field, 2), EncodeVarint((ulong)value.Length), value);

    private static byte[] EncodeVarint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);

        return [.. bytes];
    }
}
