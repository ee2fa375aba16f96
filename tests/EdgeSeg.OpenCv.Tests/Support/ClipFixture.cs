namespace EdgeSeg.OpenCv.Tests.Support;

/// <summary>Test clips made once per test class with the ffmpeg tool, in a temporary folder.</summary>
public sealed class ClipFixture : IDisposable
{
    public const int Frames = 24;
    public const int Fps = 25;

    private readonly TempFolder _temp = new();

    public ClipFixture()
    {
        H264Odd = _temp.File("odd-641x359.mp4");
        Ffmpeg.MakeClip(H264Odd, 641, 359, Frames, Fps, "libx264", "yuv444p", "-g", "8", "-bf", "2");
        H264 = _temp.File("even-640x360.mp4");
        Ffmpeg.MakeClip(H264, 640, 360, Frames, Fps, "libx264", "yuv420p", "-g", "8", "-bf", "2");
        MjpegOdd = _temp.File("odd-641x359.avi");
        Ffmpeg.MakeClip(MjpegOdd, 641, 359, Frames, Fps, "mjpeg", "yuvj444p", "-q:v", "3");
    }

    /// <summary>H.264 (4:4:4, B-frames) in MP4 at an odd size.</summary>
    public string H264Odd { get; }

    /// <summary>H.264 (4:2:0, B-frames) in MP4 at 640x360.</summary>
    public string H264 { get; }

    /// <summary>Motion JPEG (4:4:4) in AVI at an odd size.</summary>
    public string MjpegOdd { get; }

    public string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();
}
