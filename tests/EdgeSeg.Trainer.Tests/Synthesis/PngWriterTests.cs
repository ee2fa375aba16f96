using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class PngWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeseg-png-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(33, 17)]
    public void WriteMask_ReadByFfmpeg_SameBytes(int width, int height)
    {
        var data = new byte[width * height];
        var random = new SceneRandom(42);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.Int(0, 5);
        }

        var path = Path.Combine(_dir, "m.png");
        PngWriter.WriteMask(path, new Mask(width, height, data));

        // ffmpeg's PNG decoder is the independent oracle.
        Assert.Equal(data, Ffmpeg(path, "gray"));
        Assert.Equal(data, PngTestReader.Read(path).Pixels);
    }

    [Fact]
    public void WriteImage_Bgr_FileHoldsRgb()
    {
        var image = new ImageBuffer(13, 5, 3);
        var random = new SceneRandom(1);
        for (var i = 0; i < image.ByteCount; i++)
        {
            image.Data[i] = (byte)random.Int(0, 256);
        }

        var path = Path.Combine(_dir, "i.png");
        PngWriter.WriteImage(path, image);
        Assert.Equal(image.Pixels.ToArray(), Ffmpeg(path, "bgr24"));
    }

    private static byte[] Ffmpeg(string path, string format)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", format, "-"])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return output.ToArray();
    }
}
