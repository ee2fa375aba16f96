using System.Diagnostics;
using EdgeSeg.Core.Timing;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// A video file through FFmpeg: as fast as it decodes, or paced at the file's frame rate (or at
/// <see cref="FrameSourceOptions.Fps"/> when given); optionally looping.
/// Every frame comes out exactly once per pass, in order.
/// </summary>
public sealed class VideoFileSource : CaptureSourceBase
{
    private long _pacingStart;
    private long _framesThisPass;

    /// <summary>Creates the source; <see cref="FrameSourceOptions.Uri"/> is a path or a <c>file://</c> URI.</summary>
    public VideoFileSource(FrameSourceOptions options)
        : base(options)
    {
        Path = options.Uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(options.Uri).LocalPath : options.Uri;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override FrameSourceKind Kind => FrameSourceKind.File;

    /// <inheritdoc />
    public override bool IsLive => false;

    /// <summary>The number of frames the container declares (an estimate; valid while open).</summary>
    public long DeclaredFrameCount => Capture?.FrameCount ?? 0;

    /// <inheritdoc />
    protected override string CheckBeforeOpen()
    {
        if (Directory.Exists(Path))
        {
            throw new FrameSourceException(Id, Uri, "is a folder, not a video file (for image folders use a glob such as folder/*.png)");
        }

        if (!File.Exists(Path))
        {
            throw new FrameSourceException(Id, Uri, $"the video file '{System.IO.Path.GetFullPath(Path)}' does not exist");
        }

        // A still image read as a one-frame video: FFmpeg would decode it whole to learn its size, so a small file
        // declaring a huge image is checked from its header first.
        if (ImageHeader.LooksLikeImage(Path) && ImageHeader.TryRead(Path, out var width, out var height, out _)
            && Options.CheckSize(width, height) is { } tooLarge)
        {
            throw new FrameSourceException(Id, Uri, $"the image is {tooLarge}; it was not decoded");
        }

        return Path;
    }

    /// <inheritdoc />
    protected override VideoCaptureOptions CaptureOptions() => new() { Backend = CaptureBackend.Ffmpeg };

    /// <inheritdoc />
    protected override string DescribeOpenFailure(OpenCvException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"not a readable video file (FFmpeg could not open it: unknown format, truncated or corrupt): {exception.NativeMessage}";
    }

    /// <inheritdoc />
    protected override void OnOpened()
    {
        _pacingStart = 0;
        _framesThisPass = 0;
    }

    /// <inheritdoc />
    protected override bool RestartAtEnd()
    {
        if (!Options.Loop || _framesThisPass == 0)
        {
            // An empty (or fully undecodable) file must not spin forever reopening.
            return false;
        }

        Open();
        return true;
    }

    /// <inheritdoc />
    protected override void BeforeStamp(double streamMilliseconds)
    {
        var rate = Options.Fps ?? Fps;
        if (Options.Paced && rate > 0)
        {
            if (_framesThisPass == 0)
            {
                _pacingStart = Stopwatch.GetTimestamp();
            }
            else
            {
                // Due time from the frame count, not from sleeps summed: sleeping's overshoot does not accumulate.
                var due = FrameRate.Duration(_framesThisPass, rate);
                var wait = due - Stopwatch.GetElapsedTime(_pacingStart);
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
            }
        }

        _framesThisPass++;
    }
}
