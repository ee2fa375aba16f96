namespace EdgeSeg.OpenCv.Video;

/// <summary>How <see cref="VideoCapture.Open"/> opens a capture. An immutable value; share it freely.</summary>
public sealed record VideoCaptureOptions
{
    /// <summary>The backend (default FFmpeg: files and streams).</summary>
    public CaptureBackend Backend { get; init; } = CaptureBackend.Ffmpeg;

    /// <summary>
    /// How long the open may take before it gives up (FFmpeg backend, OpenCV 4.5.3+; see
    /// <see cref="CvLibrary.SupportsCaptureTimeouts"/>). Null: OpenCV's default (30 s).
    /// </summary>
    public TimeSpan? OpenTimeout { get; init; }

    /// <summary>How long one read may block before it fails (FFmpeg backend, OpenCV 4.5.3+). Null: OpenCV's default (30 s).</summary>
    public TimeSpan? ReadTimeout { get; init; }

    /// <summary>
    /// FFmpeg demuxer options as OpenCV's <c>OPENCV_FFMPEG_CAPTURE_OPTIONS</c> (<c>key;value|key;value</c>), e.g.
    /// <c>rtsp_transport;tcp</c>. Process-wide: set the same value for every capture. Null leaves it as it is.
    /// </summary>
    public string? FfmpegOptions { get; init; }

    /// <summary>Requested frame width (cameras; applied after the open, read back <see cref="VideoCapture.Width"/>).</summary>
    public int? Width { get; init; }

    /// <summary>Requested frame height (cameras).</summary>
    public int? Height { get; init; }

    /// <summary>Requested frame rate (cameras).</summary>
    public double? Fps { get; init; }

    /// <summary>Requested camera pixel format as a FOURCC, e.g. <c>MJPG</c> or <c>YUYV</c> (cameras).</summary>
    public string? PixelFormat { get; init; }
}
