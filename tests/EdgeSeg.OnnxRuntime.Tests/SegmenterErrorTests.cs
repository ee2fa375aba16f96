using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>Bad models, cards and frames: each a clear message naming what is wrong, never a crash.</summary>
public sealed class SegmenterErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeseg-onnx-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Open_MissingModel_FileNotFoundNamingThePath()
    {
        var path = Path.Combine(_dir, "absent.onnx");

        var ex = Assert.Throws<FileNotFoundException>(() => OnnxRuntimeBackend.OpenSegmenter(path, null, TestModels.CpuOptions()));

        Assert.Equal($"Model file not found: {path}", ex.Message);
    }

    [Fact]
    public void Open_CorruptModel_OnnxRuntimeErrorNamingTheFile()
    {
        var path = WriteCorruptModel();

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimeBackend.OpenSegmenter(path, TestModels.CardPath("quarter-fixed"), TestModels.CpuOptions()));

        Assert.Equal("CreateSession", ex.Function);
        Assert.Equal(OnnxRuntimeErrorCode.InvalidProtobuf, ex.Code);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoCardAnywhere_SaysWhereItLooked()
    {
        var model = Path.Combine(_dir, "bare.onnx");
        File.Copy(TestModels.Path("quarter-fixed"), model);

        var ex = Assert.Throws<ModelCardException>(() => OnnxRuntimeBackend.OpenSegmenter(model, null, TestModels.CpuOptions()));

        Assert.Contains($"looked for {Path.Combine(_dir, "bare.json")} beside the model and for metadata key 'edgeseg.card'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"width\": 96", "\"width\": 128", "input.width", "128 does not match model input images Float32 [1, 3, 64, 96] (width 96)")]
    [InlineData("\"height\": 64", "\"height\": 60", "input.height", "60 does not match model input images Float32 [1, 3, 64, 96] (height 64)")]
    [InlineData("\"name\": \"images\"", "\"name\": \"image\"", "input.name", "the model has no input 'image' (its inputs: images Float32 [1, 3, 64, 96])")]
    [InlineData("\"name\": \"logits\"", "\"name\": \"out\"", "outputs[0].name", "the model has no output 'out' (its outputs: logits Float32 [1, 5, 16, 24])")]
    [InlineData("\"line\"\n      ]", "\"line\", \"extra\"\n      ]", "outputs[0].classes", "lists 6 classes but model output logits Float32 [1, 5, 16, 24] has 5 channels")]
    [InlineData("\"kind\": \"logits\"", "\"kind\": \"labels\"", "outputs[0].kind", "labels need an integer output; model output logits Float32 [1, 5, 16, 24] is not uint8, int32 or int64")]
    [InlineData("\"width\": 96,\n    \"height\": 64,", "\"multipleOf\": 32,", "input.width", "the card declares a dynamic input but model input images Float32 [1, 3, 64, 96] has a fixed size; give width and height")]
    public void Open_CardNotMatchingModel_ErrorNamesTheField(string find, string replace, string field, string problem)
    {
        var json = File.ReadAllText(TestModels.CardPath("quarter-fixed"));
        Assert.Contains(find, json, StringComparison.Ordinal);
        var card = Path.Combine(_dir, "card.json");
        File.WriteAllText(card, json.Replace(find, replace, StringComparison.Ordinal));

        var ex = Assert.Throws<ModelCardException>(() => OnnxRuntimeBackend.OpenSegmenter(TestModels.Path("quarter-fixed"), card, TestModels.CpuOptions()));

        Assert.Equal(field, ex.Field);
        Assert.Equal(problem, ex.Problem);
        Assert.Equal($"Model card {card}: {field}: {problem}", ex.Message);
    }

    [Fact]
    public void Segment_GreyFrame_ArgumentExceptionNamingChannels()
    {
        using var segmenter = TestModels.Open("quarter-fixed");

        var ex = Assert.Throws<ArgumentException>(() => segmenter.Segment(new ImageBuffer(96, 64, 1), new Mask(96, 64)));

        Assert.StartsWith("The frame has 1 channel(s); the segmenter takes 3-channel BGR frames.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_MaskOfOtherSize_ArgumentExceptionNamingBothSizes()
    {
        using var segmenter = TestModels.Open("quarter-fixed");

        var ex = Assert.Throws<ArgumentException>(() => segmenter.Segment(new ImageBuffer(96, 64, 3), new Mask(64, 96)));

        Assert.StartsWith("The destination mask is 64x96; the frame is 96x64.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_ConfidenceOfOtherSize_ArgumentException()
    {
        using var segmenter = TestModels.Open("quarter-fixed");

        var ex = Assert.Throws<ArgumentException>(() => segmenter.Segment(new ImageBuffer(96, 64, 3), new Mask(96, 64), new float[10]));

        Assert.StartsWith("The confidence buffer has 10 floats; the frame has 6144 pixels.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_AfterDispose_ObjectDisposedException()
    {
        var segmenter = TestModels.Open("quarter-fixed");
        segmenter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => segmenter.Segment(new ImageBuffer(96, 64, 3), new Mask(96, 64)));
    }

    internal static string WriteCorruptModel(string directory, string name = "corrupt.onnx")
    {
        // The first half of a real model: a truncated protobuf, as a partial download leaves it.
        var bytes = File.ReadAllBytes(TestModels.Path("quarter-fixed"));
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    private string WriteCorruptModel() => WriteCorruptModel(_dir);
}
