using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Inference;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Service.Tests.Inference;

/// <summary><c>edgeseg infer</c> on real files: PNGs, and videos written by OpenCV (which it leaves to <c>edgeseg process</c>).</summary>
public sealed class InferCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeseg-infer-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Model(string name, string ext = ".onnx") => RepoPaths.InRepo("tests", "models", name + ext);

    private InferRequest Request(string model, params string[] inputs) => new()
    {
        ModelPath = Model(model),
        Inputs = inputs,
        OutputDirectory = Path.Combine(_dir, "out"),
        Options = new SegmenterOptions { Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 } },
    };

    [Fact]
    public void Run_Image_WritesMaskEqualToTheSegmentersAndAnOverlayWithLegend()
    {
        var png = Path.Combine(_dir, "street.png");
        CvImage.Write(png, Frame(200, 150, 1));

        var code = InferRunner.Run(Request("quarter-fixed", png), _out, _err);

        Assert.Equal(ExitCodes.Ok, code);
        var mask = CvImage.Read(Path.Combine(_dir, "out", "street.mask.png"), ImageReadMode.Unchanged);
        Assert.Equal((200, 150, 1), (mask.Width, mask.Height, mask.Channels));
        using var segmenter = OnnxRuntimeBackend.OpenSegmenter(Model("quarter-fixed"), null, Request("quarter-fixed").Options);
        var expected = new Mask(200, 150);
        segmenter.Segment(CvImage.Read(png), expected);
        Assert.Equal(expected.Pixels.ToArray(), mask.Pixels.ToArray());
        Assert.True(expected.Pixels.ToArray().Distinct().Count() >= 2);

        var overlay = CvImage.Read(Path.Combine(_dir, "out", "street.overlay.png"));
        Assert.Equal((200, 150, 3), (overlay.Width, overlay.Height, overlay.Channels));

        // The legend's road swatch (second row; scale 1 below 360 rows): BGR of #804080.
        var i = ((13 * 200) + 5) * 3;
        Assert.Equal(new byte[] { 128, 64, 128 }, overlay.Data[i..(i + 3)]);
        Assert.Contains("quarter-fixed", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("model runs on cpu", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Video_PointsToProcessAndWritesNothing()
    {
        var video = Path.Combine(_dir, "drive.avi");
        using (var writer = VideoWriter.Open(video, 96, 64, 10, fourCc: "MJPG"))
        {
            for (var f = 0; f < 12; f++)
            {
                writer.Write(Frame(96, 64, f));
            }
        }

        var code = InferRunner.Run(Request("twin-head", video), _out, _err);

        // Videos are edgeseg process's: the metrics and events the service publishes, not a thinner set of infer's own.
        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains($"bin/edgeseg process --input {video} --out {Path.Combine(_dir, "out")} --Model:Path={Model("twin-head")}", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("infer: nothing was written.", _err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Run_FolderOfImagesAndVideos_SegmentsTheImagesAndPointsToProcessForTheVideos()
    {
        var folder = Path.Combine(_dir, "in");
        Directory.CreateDirectory(folder);
        CvImage.Write(Path.Combine(folder, "a.png"), Frame(64, 48, 3));
        using (var writer = VideoWriter.Open(Path.Combine(folder, "clip.avi"), 64, 48, 10, fourCc: "MJPG"))
        {
            writer.Write(Frame(64, 48, 4));
        }

        var code = InferRunner.Run(Request("quarter-fixed", folder), _out, _err);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "a.mask.png")));
        Assert.Contains("clip.avi: videos are processed by 'edgeseg process'", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(["a.mask.png", "a.overlay.png"], Directory.GetFiles(Path.Combine(_dir, "out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_MissingModel_ModelUnavailableNamingThePath()
    {
        var png = Path.Combine(_dir, "a.png");
        CvImage.Write(png, Frame(32, 32, 2));

        var code = InferRunner.Run(Request("quarter-fixed", png) with { ModelPath = Path.Combine(_dir, "none.onnx") }, _out, _err);

        Assert.Equal(ExitCodes.ModelUnavailable, code);
        Assert.Equal($"infer: the model could not be loaded: Model file not found: {Path.Combine(_dir, "none.onnx")}", _err.ToString().Trim());
    }

    [Fact]
    public void Run_MissingInput_SourceUnavailableNamingThePath()
    {
        var missing = Path.Combine(_dir, "nothing.png");

        var code = InferRunner.Run(Request("quarter-fixed", missing), _out, _err);

        Assert.Equal(ExitCodes.SourceUnavailable, code);
        Assert.Equal($"infer: input {missing} does not exist.", _err.ToString().Trim());
    }

    [Fact]
    public void Run_CardNotMatchingModel_ModelUnavailableNamingTheField()
    {
        var png = Path.Combine(_dir, "a.png");
        CvImage.Write(png, Frame(32, 32, 2));

        var code = InferRunner.Run(Request("quarter-fixed", png) with { CardPath = Model("twin-head", ".json") }, _out, _err);

        Assert.Equal(ExitCodes.ModelUnavailable, code);
        Assert.Contains("input.width: 128 does not match model input images", _err.ToString(), StringComparison.Ordinal);
    }

    private static ImageBuffer Frame(int width, int height, int seed)
    {
        var frame = new ImageBuffer(width, height, 3);
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                frame.Data[i] = (byte)((x * 255 / width) ^ random.Next(32));
                frame.Data[i + 1] = (byte)(y * 255 / height);
                frame.Data[i + 2] = (byte)(((x + y) * 7) & 255);
            }
        }

        return frame;
    }
}
