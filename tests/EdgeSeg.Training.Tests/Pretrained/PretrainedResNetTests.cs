using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.TestSupport;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Pretrained;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Pretrained;

/// <summary>
/// The ImageNet ResNet-18 from NuGet imported into our encoder: our forward equals ONNX Runtime running the original
/// file at the output of the stem and of every stage.
/// </summary>
public class PretrainedResNetTests
{
    private const int Size = 224;

    [Fact]
    public void Read_ImageNetFile_FindsStemAndFourStagesOf2223Blocks()
    {
        var pretrained = PretrainedResNet.Read(PretrainedResNet.ImageNetPath);
        Assert.Equal([2, 2, 2, 3], pretrained.BlocksPerStage);
        Assert.Equal(5, pretrained.FeatureOutputs.Count);
        Assert.Equal("Input247", pretrained.InputName);

        // Every value of the encoder comes from the file: 22 convolutions and 22 batch norms (4 tensors each).
        var encoder = new ResNetEncoder(pretrained.BlocksPerStage, new Random(1));
        Assert.Equal(encoder.StateDict().Values.Sum(t => (long)t.Length), pretrained.ValueCount);
        Assert.Equal(22 * 5, encoder.StateDict().Count);
    }

    [Fact]
    public void Import_PatternFrame_EveryStageMatchesOnnxRuntimeOnTheOriginalFile()
        => AssertStagesMatch(PatternFrame());

    [SharedDataFact]
    public void Import_RealCamVidFrame_EveryStageMatchesOnnxRuntimeOnTheOriginalFile()
    {
        var root = Path.Combine(RepoPaths.RequireSharedData(), "camvid");
        var stem = File.ReadAllLines(Path.Combine(root, "train.txt"))[100];
        var image = CvImage.Read(Path.Combine(root, "images", stem + ".jpg"));

        // The 224x224 centre of the 480x360 frame, as the file's BGR bytes.
        var bgr = new byte[3 * Size * Size];
        int top = (image.Height - Size) / 2, left = (image.Width - Size) / 2;
        for (var y = 0; y < Size; y++)
        {
            image.Row(top + y).Slice(left * 3, Size * 3).CopyTo(bgr.AsSpan(y * Size * 3, Size * 3));
        }

        AssertStagesMatch(bgr);
    }

    [Fact]
    public void Read_NotAResNet_ThrowsNamingFileAndNode()
    {
        using var dir = new TempDir();
        var path = dir.File("unet.onnx");
        var unet = TestModels.Small(UpsamplingMode.Bilinear);
        EdgeSeg.Training.Onnx.OnnxExporter.Export(unet, path, EdgeSeg.Training.Onnx.OnnxExporter.DefaultCard(unet, "u", ["a", "b", "c", "d", "e"], [0f, 0f, 0f], [1f, 1f, 1f]));
        var e = Assert.Throws<InvalidDataException>(() => PretrainedResNet.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("node", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(dir.File("junk.onnx"), [0xff, 0xff, 0xff, 0x01]);
        var junk = Assert.Throws<InvalidDataException>(() => PretrainedResNet.Read(dir.File("junk.onnx")));
        Assert.Contains("junk.onnx", junk.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => PretrainedResNet.Read(dir.File("missing.onnx")));
    }

    // The file takes BGR values 0-255 minus the mean; our encoder takes RGB normalised with the same mean and std.
    private static void AssertStagesMatch(byte[] bgr)
    {
        var pretrained = PretrainedResNet.Read(PretrainedResNet.ImageNetPath);
        var encoder = new ResNetEncoder(pretrained.BlocksPerStage, new Random(1));
        pretrained.LoadInto(encoder);
        encoder.Eval();

        var plane = Size * Size;
        var original = new float[3 * plane];
        var ours = new Tensor(1, 3, Size, Size);
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                var rgb = 2 - c;
                var value = (bgr[(p * 3) + c] / 255f - PretrainedResNet.Mean[rgb]) / PretrainedResNet.Std[rgb];
                original[(c * plane) + p] = value;
                ours.Data[(rgb * plane) + p] = value;
            }
        }

        IReadOnlyList<Tensor> features;
        using (Autograd.NoGrad())
        {
            features = encoder.Features(ours);
        }

        using var dir = new TempDir();
        var path = dir.File("resnet18-stages.onnx");
        pretrained.WriteWithFeatureOutputs(path);
        using var session = new OnnxRuntimeBackend().Open(path, new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 2 });
        using var binding = session.Bind(pretrained.InputName, [1, 3, Size, Size], pretrained.FeatureOutputs);
        original.CopyTo(binding.InputFloat);
        binding.Run();
        for (var i = 0; i < features.Count; i++)
        {
            var output = binding.GetOutput(i);
            Assert.Equal(features[i].Shape.ToArray().Select(d => (long)d), output.Shape.ToArray());
            var actual = output.As<float>();
            double maxErr = 0, maxRef = 0;
            for (var j = 0; j < actual.Length; j++)
            {
                maxErr = Math.Max(maxErr, Math.Abs(actual[j] - features[i].Data[j]));
                maxRef = Math.Max(maxRef, Math.Abs(actual[j]));
            }

            Assert.True(maxRef > 0, $"feature {i} is all zeros");
            Assert.True(maxErr <= 1e-4 * maxRef, $"feature {i} ({pretrained.FeatureOutputs[i]}): max error {maxErr:E3}, max |value| {maxRef:E3}");
        }
    }

    // A deterministic frame with edges, gradients and texture at several scales, for machines without ../shared.
    private static byte[] PatternFrame()
    {
        var bgr = new byte[3 * Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var road = y > 120 && Math.Abs(x - 112) < (y - 100) ? 1 : 0;
                var stripe = (x / 14 + y / 9) % 2;
                var noise = (int)((((uint)((x * 73856093) ^ (y * 19349663)) % 41) - 20));
                var o = ((y * Size) + x) * 3;
                bgr[o] = (byte)Math.Clamp(90 + (road * 30) + (stripe * 40) + noise, 0, 255);
                bgr[o + 1] = (byte)Math.Clamp(60 + (x / 2) + (road * 20) + noise, 0, 255);
                bgr[o + 2] = (byte)Math.Clamp(200 - y + (stripe * 25) + noise, 0, 255);
            }
        }

        return bgr;
    }
}
