using System.Globalization;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Onnx.Proto;
using EdgeSeg.Training.Tensors;
using Google.Protobuf;

namespace EdgeSeg.Training.Pretrained;

/// <summary>
/// Pretrained weights of a ResNet of basic blocks read from an ONNX file, such as the ImageNet ResNet-18 in NuGet's
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK 2.6 export, opset 8). The graph is walked by data flow, not by
/// names: a 7x7 stride-2 stem convolution, batch norm, ReLU and a 3x3 stride-2 max-pool, then basic blocks (two 3x3
/// convolutions with batch norm, an Add with the identity or a 1x1 stride-2 projection with batch norm, a ReLU); a
/// block with a projection starts a new stage. Anything else is refused with the node that does not fit.
/// <para>
/// Padding: the file pads asymmetrically where it downsamples (the stem 3 before and 2 after, the stride-2 3x3
/// convolutions and the max-pool 1 before and 0 after). Our layers pad symmetrically (3 and 1). On an even input size
/// both give the same output size and the same windows, since the windows start at the same place and the last one
/// ends inside the data plus the smaller padding; <see cref="ResNetUNet"/> pads every input to a multiple of 32, so
/// every stride-2 layer sees an even size. Paddings that could differ in any other way are refused.
/// </para>
/// <para>
/// Input: the file expects BGR pixel values 0-255 minus a per-pixel mean image (its pre-processing model
/// ResNetPreprocess.onnx: split, reorder RGB to BGR, subtract; no scaling). The mean image's per-channel means are
/// B 103.06, G 115.90, R 123.15. <see cref="LoadInto"/> reorders the stem's input channels so the encoder takes RGB,
/// which is the order of the trainer and of model cards; the normalisation is <see cref="Mean"/> and
/// <see cref="Std"/> on pixel/255.
/// </para>
/// </summary>
public sealed class PretrainedResNet
{
    /// <summary>Per-channel mean of RGB pixel/255 that the ImageNet weights expect (the pre-processing model's mean image, averaged per channel).</summary>
    public static readonly IReadOnlyList<float> Mean = [123.15163f / 255f, 115.902885f / 255f, 103.06262f / 255f];

    /// <summary>Per-channel standard deviation of RGB pixel/255 that the ImageNet weights expect: 1/255 (values 0-255, not scaled).</summary>
    public static readonly IReadOnlyList<float> Std = [1f / 255f, 1f / 255f, 1f / 255f];

    /// <summary>The file name of the ImageNet ResNet-18 copied beside the trainer at build (from the NuGet package).</summary>
    public const string ImageNetFileName = "pretrained/resnet18-imagenet.onnx";

    private readonly Dictionary<string, (float[] Values, long[] Dims)> _state;
    private readonly ModelProto _model;

    private PretrainedResNet(string path, ModelProto model, Dictionary<string, (float[], long[])> state, IReadOnlyList<int> blocks, IReadOnlyList<string> features)
    {
        Path = path;
        _model = model;
        _state = state;
        BlocksPerStage = blocks;
        FeatureOutputs = features;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>Blocks per stage as found in the graph (the ImageNet file: 2, 2, 2, 3).</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>The graph's input name.</summary>
    public string InputName => _model.Graph.Input[0].Name;

    /// <summary>
    /// Graph tensor names of the five feature maps <see cref="ResNetEncoder.Features"/> returns: the stem's ReLU output
    /// and each stage's last ReLU output.
    /// </summary>
    public IReadOnlyList<string> FeatureOutputs { get; }

    /// <summary>Values taken from the file (weights, batch-norm scales, biases, means, variances).</summary>
    public long ValueCount => _state.Values.Sum(v => (long)v.Values.Length);

    /// <summary>The path of the ImageNet ResNet-18 beside the running trainer.</summary>
    public static string ImageNetPath => System.IO.Path.Combine(AppContext.BaseDirectory, ImageNetFileName);

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not a ResNet of basic blocks as described above; the message names the node.</exception>
    public static PretrainedResNet Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such pretrained model file.", path);
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({e.Message}).", e);
        }

        if (model.Graph is null || model.Graph.Input.Count == 0)
        {
            throw new InvalidDataException($"{path}: the ONNX model has no graph or no input.");
        }

        return new GraphWalk(path, model).Run();
    }

    /// <summary>
    /// Copies the weights into <paramref name="encoder"/> (its blocks per stage must equal <see cref="BlocksPerStage"/>),
    /// with the stem's input channels reordered from the file's BGR to RGB.
    /// </summary>
    public void LoadInto(ResNetEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (!encoder.BlocksPerStage.SequenceEqual(BlocksPerStage))
        {
            throw new ArgumentException($"the encoder has blocks [{string.Join(", ", encoder.BlocksPerStage)}] per stage; {Path} has [{string.Join(", ", BlocksPerStage)}].", nameof(encoder));
        }

        var own = encoder.StateDict();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, (values, dims)) in _state)
        {
            var shape = dims.Select(d => checked((int)d)).ToArray();
            var tensor = new Tensor(name == "conv1.weight" ? BgrToRgb(values, shape) : values, shape);
            state[name] = tensor;
        }

        foreach (var name in own.Keys.Where(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)))
        {
            state.Remove(name);
        }

        encoder.LoadStateDict(state);
    }

    /// <summary>Writes a copy of the file whose graph also outputs <see cref="FeatureOutputs"/> (for checking an import against ONNX Runtime).</summary>
    internal void WriteWithFeatureOutputs(string destination)
    {
        // Shapes from the input's: the stem halves it, each stage halves it again from 1/4 on.
        var copy = _model.Clone();
        var dims = copy.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        int[] channels = [64, .. ResNetEncoder.StageChannels];
        for (var i = 0; i < FeatureOutputs.Count; i++)
        {
            var scale = 2L << i;
            var shape = new TensorShapeProto();
            foreach (var d in new[] { dims[0], channels[i], dims[2] / scale, dims[3] / scale })
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }

            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = FeatureOutputs[i],
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            });
        }

        File.WriteAllBytes(destination, copy.ToByteArray());
    }

    // weight [64, 3, 7, 7]: input channel 0 is B in the file; an RGB input needs it at 2.
    private static float[] BgrToRgb(float[] values, int[] shape)
    {
        var result = (float[])values.Clone();
        int o = shape[0], c = shape[1], k = shape[2] * shape[3];
        for (var oc = 0; oc < o; oc++)
        {
            for (var ic = 0; ic < c; ic++)
            {
                Array.Copy(values, ((oc * c) + (c - 1 - ic)) * k, result, ((oc * c) + ic) * k, k);
            }
        }

        return result;
    }

    private sealed class GraphWalk
    {
        private readonly string _path;
        private readonly ModelProto _model;
        private readonly Google.Protobuf.Collections.RepeatedField<NodeProto> _nodes;
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly Dictionary<string, (float[], long[])> _state = new(StringComparer.Ordinal);
        private int _next;

        public GraphWalk(string path, ModelProto model)
        {
            _path = path;
            _model = model;
            _nodes = model.Graph.Node;
            _initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        }

        public PretrainedResNet Run()
        {
            var features = new List<string>();
            var x = _model.Graph.Input[0].Name;
            x = ConvBn(x, "conv1", "bn1", kernel: 7, stride: 2, inChannels: 3, outChannels: 64);
            x = Expect("Relu", x).Output[0];
            features.Add(x);
            var pool = Expect("MaxPool", x);
            CheckWindow(pool, kernel: 3, stride: 2);
            x = pool.Output[0];

            var blocks = new List<int>();
            var channels = 64;
            while (_next < _nodes.Count && _nodes[_next].OpType == "Conv")
            {
                // A block whose first convolution is a 1x1 projection (or whose 3x3 convolution has stride 2) starts a stage.
                var projection = Kernel(_nodes[_next]) == 1;
                if (projection || blocks.Count == 0)
                {
                    if (blocks.Count > 0)
                    {
                        features.Add(x);
                    }

                    blocks.Add(0);
                }

                var stage = blocks.Count;
                var prefix = string.Create(CultureInfo.InvariantCulture, $"layer{stage}.{blocks[^1]}");
                var outChannels = ResNetEncoder.StageChannels[Math.Min(stage, 4) - 1];
                var stride = projection ? 2 : 1;
                string? shortcut = x;
                if (projection)
                {
                    shortcut = ConvBn(x, prefix + ".proj_conv", prefix + ".proj_bn", kernel: 1, stride: 2, inChannels: channels, outChannels: outChannels);
                }

                var y = ConvBn(x, prefix + ".conv1", prefix + ".bn1", kernel: 3, stride: stride, inChannels: channels, outChannels: outChannels);
                y = Expect("Relu", y).Output[0];
                y = ConvBn(y, prefix + ".conv2", prefix + ".bn2", kernel: 3, stride: 1, inChannels: outChannels, outChannels: outChannels);
                var add = Expect("Add", y);
                if (!add.Input.Contains(shortcut))
                {
                    throw Bad(add, $"adds [{string.Join(", ", add.Input)}]; block {prefix} needs its main branch and its shortcut {shortcut}");
                }

                x = Expect("Relu", add.Output[0]).Output[0];
                channels = outChannels;
                blocks[^1]++;
                if (blocks.Count > 4)
                {
                    throw Bad(_nodes[_next - 1], "a fifth stage follows; a ResNet of basic blocks has four");
                }
            }

            features.Add(x);
            if (blocks.Count != 4)
            {
                throw new InvalidDataException($"{_path}: found {blocks.Count} stages of basic blocks; a ResNet encoder needs four.");
            }

            // What follows the last block (the classifier's pooling) is not part of the encoder.
            return new PretrainedResNet(_path, _model, _state, blocks, features);
        }

        private string ConvBn(string input, string convName, string bnName, int kernel, int stride, int inChannels, int outChannels)
        {
            var conv = Expect("Conv", input);
            if (Kernel(conv) != kernel || Ints(conv, "strides").Any(s => s != stride) || Ints(conv, "group", 1).Any(g => g != 1)
                || Ints(conv, "dilations").Any(d => d != 1) || conv.Input.Count != 2)
            {
                throw Bad(conv, $"is not a {kernel}x{kernel} stride-{stride} convolution without bias, groups or dilation ({convName})");
            }

            CheckWindow(conv, kernel, stride);
            var weight = Initializer(conv, 1, [outChannels, inChannels, kernel, kernel]);
            _state[convName + ".weight"] = weight;

            var bn = Expect("BatchNormalization", conv.Output[0]);
            var eps = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            if (Math.Abs(eps - 1e-5f) > 1e-9f || bn.Input.Count != 5)
            {
                throw Bad(bn, $"has epsilon {eps} or {bn.Input.Count} inputs; our batch norm uses 1e-5 and needs scale, bias, mean and variance");
            }

            _state[bnName + ".weight"] = Initializer(bn, 1, [outChannels]);
            _state[bnName + ".bias"] = Initializer(bn, 2, [outChannels]);
            _state[bnName + ".running_mean"] = Initializer(bn, 3, [outChannels]);
            _state[bnName + ".running_var"] = Initializer(bn, 4, [outChannels]);
            return bn.Output[0];
        }

        // pads = [top, left, bottom, right]: the start must be kernel/2 (ours), the end may be smaller by less than the
        // stride (then an even input gives the same windows, see the class remarks) and never larger.
        private void CheckWindow(NodeProto node, int kernel, int stride)
        {
            var pads = Ints(node, "pads", 0, 0, 0, 0);
            var autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
            var begin = kernel / 2;
            if (autoPad is not ("NOTSET" or "") || pads.Length != 4 || pads[0] != begin || pads[1] != begin
                || pads[2] > begin || pads[3] > begin || pads[2] < begin - (stride - 1) || pads[3] < begin - (stride - 1))
            {
                throw Bad(node, $"pads [{string.Join(", ", pads)}] (auto_pad {autoPad}); a {kernel}x{kernel} stride-{stride} window needs {begin} before and {Math.Max(0, begin - stride + 1)}-{begin} after");
            }

            if (Ints(node, "kernel_shape").Any(k => k != kernel) || Ints(node, "strides").Any(s => s != stride))
            {
                throw Bad(node, $"is not a {kernel}x{kernel} stride-{stride} window");
            }
        }

        private NodeProto Expect(string opType, string input)
        {
            if (_next >= _nodes.Count)
            {
                throw new InvalidDataException($"{_path}: the graph ends where a {opType} on {input} should follow.");
            }

            var node = _nodes[_next++];
            if (node.OpType != opType || node.Input.Count == 0 || node.Input[0] != input && !(opType == "Add" && node.Input.Contains(input)))
            {
                throw Bad(node, $"is {node.OpType} on [{string.Join(", ", node.Input)}]; a {opType} on {input} should follow");
            }

            return node;
        }

        private (float[], long[]) Initializer(NodeProto node, int input, long[] dims)
        {
            if (input >= node.Input.Count || !_initializers.TryGetValue(node.Input[input], out var tensor))
            {
                throw Bad(node, $"input {input} is not an initializer");
            }

            var (values, actual) = OnnxInitializers.Read(tensor, _path);
            if (!actual.SequenceEqual(dims))
            {
                throw Bad(node, $"initializer '{tensor.Name}' has dims [{string.Join(", ", actual)}]; [{string.Join(", ", dims)}] expected");
            }

            return (values, actual);
        }

        private static int Kernel(NodeProto node)
        {
            var k = Ints(node, "kernel_shape");
            return k.Length == 2 && k[0] == k[1] ? (int)k[0] : -1;
        }

        private static long[] Ints(NodeProto node, string name, params long[] defaults) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? (a.Ints.Count > 0 ? [.. a.Ints] : [a.I]) : defaults;

        private InvalidDataException Bad(NodeProto node, string what) =>
            new($"{_path}: node {_next} '{node.Name}' ({node.OpType}) {what}.");
    }
}
