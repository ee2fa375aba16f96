namespace EdgeSeg.Pipeline.Sources;

/// <summary>Configuration of one frame source (bindable from configuration). Immutable once built.</summary>
public sealed record FrameSourceOptions
{
    /// <summary>The source's id: in logs, metrics and every frame (e.g. <c>front</c>).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// What to read: a video file path (or <c>file://</c> URI), an <c>rtsp://</c>, <c>rtsps://</c>, <c>http://</c>,
    /// <c>https://</c>, <c>rtmp://</c>, <c>udp://</c>, <c>tcp://</c> or <c>srt://</c> stream, a camera
    /// <c>/dev/videoN</c> (or <c>v4l2:///dev/videoN</c>), or an image folder or glob (<c>frames/*.png</c>).
    /// </summary>
    public required string Uri { get; init; }

    /// <summary>Files and image folders: deliver at the file's frame rate (<see cref="Fps"/> for folders) rather than as fast as possible.</summary>
    public bool Paced { get; init; }

    /// <summary>Files and image folders: start again at the end, forever.</summary>
    public bool Loop { get; init; }

    /// <summary>Streams: how long an open may take (default 5 s).</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Streams: how long a read may block before the source counts as stalled (default 5 s).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Streams: RTSP over TCP (default; UDP loses packets and smears frames on lossy links).</summary>
    public bool RtspOverTcp { get; init; } = true;

    /// <summary>
    /// Streams: extra FFmpeg demuxer options (<c>key;value|key;value</c>), appended to the transport choice, e.g.
    /// <c>rtsp_flags;listen</c> to receive an RTSP push instead of pulling. OpenCV passes these through one
    /// process-wide variable read at open: give every stream source the same value.
    /// </summary>
    public string? FfmpegOptions { get; init; }

    /// <summary>Cameras: requested width (the camera may round it).</summary>
    public int? Width { get; init; }

    /// <summary>Cameras: requested height.</summary>
    public int? Height { get; init; }

    /// <summary>Cameras: requested frame rate; files and image folders: the rate when <see cref="Paced"/> (files: their own rate, folders: 10, when null).</summary>
    public double? Fps { get; init; }

    /// <summary>Cameras: pixel format FOURCC, e.g. <c>MJPG</c> or <c>YUYV</c>.</summary>
    public string? PixelFormat { get; init; }

    /// <summary>
    /// The largest frame accepted, in pixels (width x height; default <see cref="DefaultMaxPixels"/>, 4K UHD fits).
    /// Each frame buffer is 3 bytes a pixel and a source holds a bounded number of them, so this bounds its memory.
    /// Images are checked from their header before they are decoded; videos, streams and cameras when they open.
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>The default <see cref="MaxPixels"/>: 8,388,608 (2^23; 3840x2160 is 8,294,400).</summary>
    public const long DefaultMaxPixels = 1L << 23;

    /// <summary>Why a <paramref name="width"/> x <paramref name="height"/> frame is refused, or null when it is within <see cref="MaxPixels"/>.</summary>
    public string? CheckSize(int width, int height)
    {
        var pixels = (long)width * height;
        return pixels <= MaxPixels ? null
            : $"{width}x{height} is {pixels:N0} pixels, over the limit of {MaxPixels:N0} (Pipeline:MaxFramePixels)";
    }
}
