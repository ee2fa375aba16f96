using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.OpenCv.Video;
using Xunit.Abstractions;

namespace EdgeSeg.OpenCv.Tests.Video;

public sealed class VideoCaptureTests(ClipFixture clips, ITestOutputHelper output) : IClassFixture<ClipFixture>
{
    public static TheoryData<string, int, int> Clips => new()
    {
        { nameof(ClipFixture.H264Odd), 641, 359 },
        { nameof(ClipFixture.H264), 640, 360 },
        { nameof(ClipFixture.MjpegOdd), 641, 359 },
    };

    [Theory]
    [MemberData(nameof(Clips))]
    public void Read_File_EveryFrameOnceMatchingFfmpegTool(string clip, int width, int height)
    {
        var path = (string)typeof(ClipFixture).GetProperty(clip)!.GetValue(clips)!;
        var expected = Ffmpeg.DecodeBgr(path, width, height);
        Assert.Equal(ClipFixture.Frames, expected.Count);

        using var capture = VideoCapture.Open(path);
        Assert.Equal((width, height), (capture.Width, capture.Height));
        Assert.Equal(ClipFixture.Fps, capture.Fps, 3);
        Assert.Equal(ClipFixture.Frames, capture.FrameCount);
        var frame = new ImageBuffer(width, height, 3);
        var count = 0;
        var worst = 0;
        var unknownTimestamps = 0;
        while (capture.Read(frame, out var timestamp))
        {
            Assert.True(count < expected.Count, "more frames than the ffmpeg tool decoded");
            // FFmpeg gives no timestamp to the frames flushed out of the B-frame reorder buffer at the end; the shim
            // reports those as unknown (negative) rather than as 0.
            if (timestamp >= 0)
            {
                Assert.Equal(count * 1000.0 / ClipFixture.Fps, timestamp, 3);
            }
            else
            {
                unknownTimestamps++;
            }

            worst = Math.Max(worst, MaxDifference(expected[count], frame.Pixels));
            count++;
        }

        output.WriteLine($"{clip}: {count} frames, largest channel difference to the ffmpeg tool {worst}");
        Assert.Equal(expected.Count, count);
        Assert.InRange(unknownTimestamps, 0, 2);
        // Same libavcodec decoder and the same swscale conversion to BGR24 (bicubic, as both set it): identical.
        Assert.Equal(0, worst);
    }

    [Fact]
    public void Read_AfterEnd_KeepsReturningFalse()
    {
        using var capture = VideoCapture.Open(clips.MjpegOdd);
        var frame = new ImageBuffer(capture.Width, capture.Height, 3);
        while (capture.Read(frame))
        {
        }

        Assert.False(capture.Read(frame));
        Assert.Equal(ClipFixture.Frames, capture.PositionFrames);
    }

    [Fact]
    public void Read_WrongSizeBuffer_ThrowsSizeStatusNamingBothSizes()
    {
        using var capture = VideoCapture.Open(clips.H264);
        var frame = new ImageBuffer(320, 180, 3);

        var e = Assert.Throws<OpenCvException>(() => capture.Read(frame));

        Assert.Equal(OpenCvStatus.Size, e.Status);
        Assert.Contains("640x360x3", e.Message);
        Assert.Contains("320x180x3", e.Message);
    }

    [Fact]
    public void Open_MissingFile_ThrowsIoNamingFile()
    {
        var path = Path.Combine(clips.Folder, "missing.mp4");

        var e = Assert.Throws<OpenCvException>(() => VideoCapture.Open(path));

        Assert.Equal(OpenCvStatus.IO, e.Status);
        Assert.Equal("ecv_capture_open", e.Function);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Open_TextFile_ThrowsIoNamingFile()
    {
        var path = Path.Combine(clips.Folder, "notes.mp4");
        File.WriteAllText(path, "this is not a video");

        var e = Assert.Throws<OpenCvException>(() => VideoCapture.Open(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Open_BackendName_IsFfmpeg()
    {
        using var capture = VideoCapture.Open(clips.H264);

        Assert.Equal("FFMPEG", capture.BackendName);
        Assert.Equal("avc1", capture.FourCc);
    }

    [Fact]
    public void Dispose_ThenRead_ThrowsObjectDisposed()
    {
        var capture = VideoCapture.Open(clips.H264);
        capture.Dispose();

        Assert.Throws<ObjectDisposedException>(() => capture.Read(new ImageBuffer(640, 360, 3)));
    }

    private static int MaxDifference(byte[] expected, ReadOnlySpan<byte> actual)
    {
        var worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        return worst;
    }
}
