using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// A network stream (RTSP, HTTP MPEG-TS, ...) through FFmpeg, with RTSP over TCP and bounded open and read times.
/// Live: the pipeline drops its oldest queued frames rather than fall behind and reconnects it when it stops.
/// </summary>
public sealed class StreamSource : CaptureSourceBase
{
    /// <summary>The URI schemes a stream source accepts.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp", "srt"];

    /// <summary>Creates the source.</summary>
    public StreamSource(FrameSourceOptions options)
        : base(options)
    {
    }

    /// <inheritdoc />
    public override FrameSourceKind Kind => FrameSourceKind.Stream;

    /// <inheritdoc />
    public override bool IsLive => true;

    /// <inheritdoc />
    protected override string CheckBeforeOpen()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var parsed) || !Schemes.Contains(parsed.Scheme))
        {
            throw new FrameSourceException(Id, Uri, $"not a stream URL (expected one of {string.Join(", ", Schemes.Select(s => s + "://"))})");
        }

        return Uri;
    }

    /// <inheritdoc />
    protected override VideoCaptureOptions CaptureOptions() => new()
    {
        Backend = CaptureBackend.Ffmpeg,
        OpenTimeout = Options.OpenTimeout,
        ReadTimeout = Options.ReadTimeout,
        // Process-wide in OpenCV; every stream source sets the same value. Ignored by non-RTSP protocols.
        FfmpegOptions = (Options.RtspOverTcp ? "rtsp_transport;tcp" : "rtsp_transport;udp") +
            (string.IsNullOrEmpty(Options.FfmpegOptions) ? string.Empty : "|" + Options.FfmpegOptions),
    };

    /// <inheritdoc />
    protected override string DescribeOpenFailure(OpenCvException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"could not open the stream within {Options.OpenTimeout.TotalSeconds:0.#} s (server down, refused, not answering, or not a video stream): {exception.NativeMessage}";
    }
}
