using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.OpenCv.Tests.Video;

public sealed class VideoWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("clip.mp4", "avc1", "h264")]
    [InlineData("clip.avi", "MJPG", "mjpeg")]
    public void Write_ThenRead_SameFrameCountAndCloseFrames(string name, string expectedFourCc, string expectedCodec)
    {
        var path = _temp.File(name);
        var frames = Enumerable.Range(0, 12).Select(Pattern).ToList();

        using (var writer = VideoWriter.Open(path, 320, 240, 10))
        {
            Assert.Equal(expectedFourCc, writer.FourCc);
            foreach (var f in frames)
            {
                writer.Write(f);
            }
        }

        var decoded = Ffmpeg.DecodeBgr(path, 320, 240);
        Assert.Equal(frames.Count, decoded.Count);
        using var capture = VideoCapture.Open(path);
        Assert.Equal(10, capture.Fps, 3);
        var codec = capture.FourCc.ToUpperInvariant() switch
        {
            "AVC1" or "H264" => "h264",
            "MJPG" => "mjpeg",
            var other => other,
        };
        Assert.Equal(expectedCodec, codec);
        var frame = new ImageBuffer(320, 240, 3);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.True(capture.Read(frame));
            Assert.InRange(MeanAbsoluteDifference(frames[i].Pixels, frame.Pixels), 0, 6);
        }

        Assert.False(capture.Read(frame));
    }

    [Fact]
    public void Write_WrongSize_Throws()
    {
        using var writer = VideoWriter.Open(_temp.File("x.avi"), 64, 48, 10);

        var e = Assert.Throws<OpenCvException>(() => writer.Write(new ImageBuffer(32, 48, 3)));

        Assert.Equal(OpenCvStatus.Argument, e.Status);
    }

    [Fact]
    public void Open_UnknownExtension_ThrowsNamingPath()
    {
        var path = _temp.File("clip.xyz");

        var e = Assert.Throws<ArgumentException>(() => VideoWriter.Open(path, 64, 48, 10));

        Assert.Contains(path, e.Message);
    }

    private static ImageBuffer Pattern(int index)
    {
        // Smooth gradients that move per frame: lossy codecs keep them close, a dropped or repeated frame would not.
        var image = new ImageBuffer(320, 240, 3);
        for (var y = 0; y < 240; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < 320; x++)
            {
                row[3 * x] = (byte)((x + (index * 16)) % 256);
                row[(3 * x) + 1] = (byte)y;
                row[(3 * x) + 2] = (byte)(index * 20);
            }
        }

        return image;
    }

    private static double MeanAbsoluteDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
