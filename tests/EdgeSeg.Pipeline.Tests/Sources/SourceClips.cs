using EdgeSeg.OpenCv.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Sources;

/// <summary>Clips and image folders made once per test class with the ffmpeg tool.</summary>
public sealed class SourceClips : IDisposable
{
    public const int Frames = 20;

    private readonly TempFolder _temp = new();

    public SourceClips()
    {
        H264 = _temp.File("clip.mp4");
        Ffmpeg.MakeClip(H264, 640, 360, Frames, 25, "libx264", "yuv420p", "-g", "6", "-bf", "2");
        MjpegOdd = _temp.File("odd.avi");
        Ffmpeg.MakeClip(MjpegOdd, 641, 359, Frames, 25, "mjpeg", "yuvj444p", "-q:v", "3");
        H264Odd = _temp.File("odd.mp4");
        Ffmpeg.MakeClip(H264Odd, 641, 359, Frames, 25, "libx264", "yuv444p", "-g", "6", "-bf", "2");
        ImageFolder = Path.Combine(_temp.Path, "images");
        Directory.CreateDirectory(ImageFolder);
        Ffmpeg.Run("-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-frames:v", "6", Path.Combine(ImageFolder, "img_%03d.png"));
        LiveClip = Support.HttpTsServer.MakeClip(_temp.Path);
        LongClip = _temp.File("long.mp4");
        Ffmpeg.MakeClip(LongClip, 320, 180, LongFrames, 25, "libx264", "yuv420p", "-g", "25", "-bf", "2", "-preset", "ultrafast");
        OverlapClip = _temp.File("overlap.mp4");
        Ffmpeg.MakeClip(OverlapClip, 320, 180, OverlapFrames, 25, "libx264", "yuv420p", "-g", "25", "-bf", "2", "-preset", "ultrafast");
    }

    public const int LongFrames = 600;

    public const int OverlapFrames = 100;

    /// <summary>600 frames of H.264 at 320x180: long enough to measure without reopening.</summary>
    public string LongClip { get; }

    /// <summary>
    /// 100 frames of H.264 at 320x180: 4 s paced, so sources that play it side by side overlap even when a loaded
    /// machine starts one of them a second late (<see cref="H264"/> is over in 0.8 s).
    /// </summary>
    public string OverlapClip { get; }

    public string H264 { get; }

    public string MjpegOdd { get; }

    public string H264Odd { get; }

    public string ImageFolder { get; }

    public string LiveClip { get; }

    public string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();
}
