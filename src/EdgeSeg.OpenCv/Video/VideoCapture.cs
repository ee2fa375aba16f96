using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Native;

namespace EdgeSeg.OpenCv.Video;

/// <summary>
/// A video file, stream or camera opened through OpenCV. Frames are 3-channel BGR, decoded straight into
/// caller-owned buffers.
/// Not thread-safe: one reader at a time. The caller disposes it.
/// </summary>
public sealed class VideoCapture : IDisposable
{
    // cv::VideoCaptureProperties values.
    private const int PropPosMsec = 0;
    private const int PropPosFrames = 1;
    private const int PropFrameWidth = 3;
    private const int PropFrameHeight = 4;
    private const int PropFps = 5;
    private const int PropFourCc = 6;
    private const int PropFrameCount = 7;
    private const int PropOpenTimeoutMsec = 53;
    private const int PropReadTimeoutMsec = 54;

    private readonly CaptureHandle _handle;

    private VideoCapture(CaptureHandle handle, string uri)
    {
        _handle = handle;
        Uri = uri;
        BackendName = EcvNative.CaptureBackend(handle);
        Width = (int)EcvNative.CaptureGet(handle, PropFrameWidth);
        Height = (int)EcvNative.CaptureGet(handle, PropFrameHeight);
        Fps = EcvNative.CaptureGet(handle, PropFps);
    }

    /// <summary>What was opened: a path, a URL or a device.</summary>
    public string Uri { get; }

    /// <summary>The backend OpenCV used ("FFMPEG", "V4L2").</summary>
    public string BackendName { get; }

    /// <summary>Frame width as the backend reported it at open.</summary>
    public int Width { get; }

    /// <summary>Frame height as the backend reported it at open.</summary>
    public int Height { get; }

    /// <summary>The nominal frame rate (0 when the source does not say).</summary>
    public double Fps { get; }

    /// <summary>The number of frames in a file (an estimate from the container; meaningless for live streams).</summary>
    public long FrameCount => (long)Get(PropFrameCount);

    /// <summary>The index of the next frame to be read.</summary>
    public long PositionFrames => (long)Get(PropPosFrames);

    /// <summary>The stream timestamp of the last frame read, in milliseconds.</summary>
    public double PositionMilliseconds => Get(PropPosMsec);

    /// <summary>The codec or camera pixel format as a FOURCC string (empty when unknown).</summary>
    public string FourCc
    {
        get
        {
            var code = (int)Get(PropFourCc);
            Span<char> chars = stackalloc char[4];
            for (var i = 0; i < 4; i++)
            {
                var c = (char)((code >> (8 * i)) & 0xff);
                chars[i] = c is >= ' ' and <= '~' ? c : '?';
            }

            return code == 0 ? string.Empty : new string(chars);
        }
    }

    /// <summary>Opens <paramref name="uri"/> (a file path, an <c>rtsp://</c> or <c>http://</c> URL, or <c>/dev/videoN</c>).</summary>
    /// <exception cref="OpenCvException">The source could not be opened; the message names it.</exception>
    public static VideoCapture Open(string uri, VideoCaptureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        options ??= new VideoCaptureOptions();
        Span<int> parameters = stackalloc int[4];
        var count = 0;
        if (options.OpenTimeout is { } open)
        {
            parameters[count++] = PropOpenTimeoutMsec;
            parameters[count++] = ToMilliseconds(open, nameof(options.OpenTimeout));
        }

        if (options.ReadTimeout is { } read)
        {
            parameters[count++] = PropReadTimeoutMsec;
            parameters[count++] = ToMilliseconds(read, nameof(options.ReadTimeout));
        }

        var set = new List<double>(8);
        if (options.PixelFormat is { } fourCc)
        {
            if (fourCc.Length != 4)
            {
                throw new ArgumentException($"A pixel format is a four-character code; got '{fourCc}'.", nameof(options));
            }

            set.Add(PropFourCc);
            set.Add(fourCc[0] | (fourCc[1] << 8) | (fourCc[2] << 16) | (fourCc[3] << 24));
        }

        if (options.Width is { } w)
        {
            set.Add(PropFrameWidth);
            set.Add(w);
        }

        if (options.Height is { } h)
        {
            set.Add(PropFrameHeight);
            set.Add(h);
        }

        if (options.Fps is { } fps)
        {
            set.Add(PropFps);
            set.Add(fps);
        }

        var handle = EcvNative.CaptureOpen(uri, (int)options.Backend, parameters[..count], options.FfmpegOptions, set.ToArray());
        try
        {
            return new VideoCapture(handle, uri);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes the next frame into <paramref name="destination"/> (<see cref="Width"/> x <see cref="Height"/> x 3).
    /// Returns false when no frame came: the end of a file, a closed stream or a read timeout.
    /// </summary>
    /// <exception cref="OpenCvException">The frame's size differs from the destination's (status <see cref="OpenCvStatus.Size"/>), or decoding failed.</exception>
    public bool Read(ImageBuffer destination) => Read(destination, out _);

    /// <summary>As <see cref="Read(ImageBuffer)"/>, also giving the frame's stream timestamp in milliseconds (negative when unknown).</summary>
    public bool Read(ImageBuffer destination, out double streamTimestampMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var status = EcvNative.CaptureRead(_handle, destination.Pixels, destination.Width, destination.Height, destination.Channels, out streamTimestampMilliseconds);
        return status == OpenCvStatus.Ok;
    }

    /// <summary>Reads any OpenCV capture property (<c>cv::CAP_PROP_*</c>).</summary>
    public double Get(int property)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return EcvNative.CaptureGet(_handle, property);
    }

    /// <summary>Sets an OpenCV capture property; returns whether the backend accepted it.</summary>
    public bool Set(int property, double value)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return EcvNative.CaptureSet(_handle, property, value);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static int ToMilliseconds(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, "A timeout must be positive and under 24 days.");
        }

        return (int)Math.Ceiling(value.TotalMilliseconds);
    }
}
