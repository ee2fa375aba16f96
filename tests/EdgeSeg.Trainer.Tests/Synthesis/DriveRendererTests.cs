using System.Diagnostics;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class DriveRendererTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-drive-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Render_ShortDrive_WritesH264ClipMasksAndSidecar()
    {
        var clip = Path.Combine(_dir, "drive.mp4");
        var changes = DriveRenderer.Render(clip, _dir, 30, 15, 192, 108, 3);

        // ffprobe, an independent reader, sees 30 H.264 frames of the right size.
        var probe = RunTool("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
            "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", clip);
        Assert.Equal("h264,192,108,30", probe.Trim());

        for (var i = 0; i < 30; i++)
        {
            var mask = PngTestReader.Read(Path.Combine(_dir, "masks", SyntheticDataset.FrameStem(i) + ".png"));
            Assert.Equal((192, 108, 1), (mask.Width, mask.Height, mask.Channels));
            Assert.All(mask.Pixels, v => Assert.InRange(v, 0, ApplianceClasses.Count - 1));
        }

        Assert.False(File.Exists(Path.Combine(_dir, "masks", SyntheticDataset.FrameStem(30) + ".png")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "drive.json")));
        var root = doc.RootElement;
        Assert.Equal(30, root.GetProperty("frames").GetInt32());
        Assert.Equal(15, root.GetProperty("fps").GetDouble());
        Assert.Equal("drive.mp4", root.GetProperty("clip").GetString());
        Assert.Equal(30, root.GetProperty("camera_offset_m").GetArrayLength());
        Assert.Equal(changes.Count, root.GetProperty("lane_changes").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(_dir, "classes.json")));
    }

    [Fact]
    public void Render_DecodedFrame_ResemblesTheRenderedFrame()
    {
        // The clip's frame 10 decoded by ffmpeg is close to a fresh render of frame 10: the video and the masks
        // describe the same frames in the same order.
        var clip = Path.Combine(_dir, "drive.mp4");
        DriveRenderer.Render(clip, _dir, 12, 15, 160, 96, 8);
        var sim = new DriveSimulator(8, 160, 96, 15f, 12);
        var image = new EdgeSeg.Core.Imaging.ImageBuffer(160, 96, 3);
        var mask = new EdgeSeg.Core.Masks.Mask(160, 96);
        for (var i = 0; i <= 10; i++)
        {
            SceneRenderer.Render(sim.Next(), image, mask);
        }

        var raw = RunToolBytes("ffmpeg", "-v", "error", "-i", clip, "-vf", "select=eq(n\\,10)", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "-");
        Assert.Equal(160 * 96 * 3, raw.Length);
        double diff = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            diff += Math.Abs(raw[i] - image.Data[i]);
        }

        Assert.True(diff / raw.Length < 6, $"mean absolute difference {diff / raw.Length:F2}");
        Assert.Equal(mask.Pixels.ToArray(), PngTestReader.Read(Path.Combine(_dir, "masks", SyntheticDataset.FrameStem(10) + ".png")).Pixels);
    }

    private static string RunTool(string tool, params string[] args) => System.Text.Encoding.UTF8.GetString(RunToolBytes(tool, args));

    private static byte[] RunToolBytes(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {stderr.Result}");
        return output.ToArray();
    }
}
