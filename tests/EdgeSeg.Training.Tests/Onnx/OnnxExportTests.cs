using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Onnx;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Onnx;

/// <summary>The exported graph run by the real ONNX Runtime (our binding) equals the engine's eval-mode forward.</summary>
public class OnnxExportTests
{
    private static readonly string[] ClassNames = ["background", "road", "vehicle", "pedestrian", "lane_marking"];

    [Theory]
    [InlineData(UpsamplingMode.TransposedConv)]
    [InlineData(UpsamplingMode.Bilinear)]
    public void Export_SeveralInputSizes_OnnxRuntimeMatchesEngine(UpsamplingMode mode)
    {
        var model = TestModels.Small(mode);
        using var dir = new TempDir();
        var path = dir.File("unet.onnx");
        var card = OnnxExporter.DefaultCard(model, "test-unet", ClassNames, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        OnnxExporter.Export(model, path, card);

        using (var session = new OnnxRuntimeBackend().Open(path, new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 }))
        {
            Assert.Equal(card.ToJson(), session.Metadata[ModelCard.MetadataKey]);
        }

        var (relative, agreement) = Compare(model, path, [(1, 16, 16), (1, 18, 26), (2, 33, 47), (1, 5, 7), (1, 1, 1), (1, 64, 40)], inputStd: 1f);
        Assert.True(relative <= 1e-4, $"max error / max |logit| = {relative:E3}");
        Assert.True(agreement >= 0.9999, $"argmax agreement {agreement:P3}");
    }

    [Fact]
    public void Export_ResNetUNetAtSeveralSizes_OnnxRuntimeMatchesEngine()
    {
        var model = TestModels.ResNet();
        using var dir = new TempDir();
        var path = dir.File("resnet-unet.onnx");
        var card = OnnxExporter.DefaultCard(model, "test-resnet", ClassNames, [0.48f, 0.45f, 0.4f], [1f / 255, 1f / 255, 1f / 255]);
        OnnxExporter.Export(model, path, card);
        Assert.Equal(32, card.Input.MultipleOf);
        var (relative, agreement) = Compare(model, path, [(1, 32, 32), (1, 40, 56), (2, 64, 48), (1, 7, 9), (1, 96, 33)]);
        Assert.True(relative <= 1e-4, $"max error / max |logit| = {relative:E3}");
        Assert.True(agreement >= 0.9999, $"argmax agreement {agreement:P3}");
    }

    [Theory]
    [InlineData(WeightFormat.Half, 0.51, 2e-3)]
    [InlineData(WeightFormat.Quantized, 0.4, 5e-2)]
    public void Export_ResNetUNetWithSmallerWeights_SmallerFileCloseToEngine(WeightFormat weights, double maxSizeRatio, double maxRelative)
    {
        var model = TestModels.ResNet();
        using var dir = new TempDir();
        var card = OnnxExporter.DefaultCard(model, "w", ClassNames, [0.48f, 0.45f, 0.4f], [1f / 255, 1f / 255, 1f / 255]);
        OnnxExporter.Export(model, dir.File("full.onnx"), card);
        OnnxExporter.Export(model, dir.File("small.onnx"), card, weights);
        var ratio = (double)new FileInfo(dir.File("small.onnx")).Length / new FileInfo(dir.File("full.onnx")).Length;
        Assert.True(ratio <= maxSizeRatio, $"{weights}: {ratio:P1} of the float32 file");
        var (relative, _) = Compare(model, dir.File("small.onnx"), [(1, 64, 64)]);
        Assert.True(relative <= maxRelative, $"{weights}: max error / max |logit| = {relative:E3}");
    }

    private static (double Relative, double Agreement) Compare(EdgeSeg.Training.Models.SegmentationNetwork model, string path, (int N, int H, int W)[] sizes, float inputStd = 30f)
    {
        using var session = new OnnxRuntimeBackend().Open(path, new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 2 });
        long agree = 0, total = 0;
        double worst = 0;
        foreach (var (n, h, w) in sizes)
        {
            var x = GradCheck.Random(h * 100 + w, inputStd, n, 3, h, w);
            Tensor expected;
            using (Autograd.NoGrad())
            {
                expected = model.Forward(x);
            }

            using var binding = session.Bind("input", [n, 3, h, w], ["logits"]);
            x.Data.CopyTo(binding.InputFloat);
            binding.Run();
            var output = binding.GetOutput(0);
            Assert.Equal([n, 5L, h, w], output.Shape.ToArray());
            var actual = output.As<float>();
            double maxErr = 0, maxRef = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected.Data[i]));
                maxRef = Math.Max(maxRef, Math.Abs(expected.Data[i]));
            }

            worst = Math.Max(worst, maxErr / maxRef);
            var plane = h * w;
            for (var b = 0; b < n; b++)
            {
                for (var p = 0; p < plane; p++)
                {
                    int ae = 0, aa = 0;
                    for (var c = 1; c < 5; c++)
                    {
                        ae = expected.Data[(((b * 5) + c) * plane) + p] > expected.Data[(((b * 5) + ae) * plane) + p] ? c : ae;
                        aa = actual[(((b * 5) + c) * plane) + p] > actual[(((b * 5) + aa) * plane) + p] ? c : aa;
                    }

                    agree += ae == aa ? 1 : 0;
                    total++;
                }
            }
        }

        return (worst, (double)agree / total);
    }

    [Fact]
    public void Export_WritesCardBesideModelThatParsesBack()
    {
        var model = TestModels.Small(UpsamplingMode.TransposedConv);
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxExporter.Export(model, path, OnnxExporter.DefaultCard(model, "m", ClassNames, [0f, 0f, 0f], [1f, 1f, 1f], ColorOrder.Bgr));
        var card = ModelCard.Load(dir.File("m.json"));
        Assert.Equal("m", card.Name);
        Assert.Equal(4, card.Input.MultipleOf);
        Assert.True(card.Input.IsDynamic);
        Assert.Equal(ColorOrder.Bgr, card.Input.ColorOrder);
        Assert.Equal(ClassNames, card.Outputs[0].Classes);
    }

    [Fact]
    public void Export_CardWithWrongClassCount_ThrowsNamingField()
    {
        var model = TestModels.Small(UpsamplingMode.TransposedConv);
        using var dir = new TempDir();
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, dir.File("m.onnx"), OnnxExporter.DefaultCard(model, "m", ["a", "b"], [0f, 0f, 0f], [1f, 1f, 1f])));
        Assert.Contains("outputs[0].classes", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }
}
