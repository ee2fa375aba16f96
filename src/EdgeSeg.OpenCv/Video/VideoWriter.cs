using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Native;

namespace EdgeSeg.OpenCv.Video;

/// <summary>
/// Writes a video file through OpenCV's FFmpeg backend. The codec follows the extension: <c>.mp4</c>, <c>.mov</c>,
/// <c>.mkv</c> try H.264 (<c>avc1</c>, libx264 on Debian) and fall back to MPEG-4 part 2 (<c>mp4v</c>); <c>.avi</c>
/// is Motion JPEG (<c>MJPG</c>). Not thread-safe. Dispose to finish the file (the container is written on close).
/// </summary>
public sealed class VideoWriter : IDisposable
{
    private readonly WriterHandle _handle;

    private VideoWriter(WriterHandle handle, string path, string fourCc, int width, int height, int channels, double fps)
    {
        _handle = handle;
        Path = path;
        FourCc = fourCc;
        Width = width;
        Height = height;
        Channels = channels;
        Fps = fps;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>The codec actually used, e.g. <c>avc1</c>.</summary>
    public string FourCc { get; }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>3 for colour (BGR) frames, 1 for grey.</summary>
    public int Channels { get; }

    /// <summary>The frame rate written into the file.</summary>
    public double Fps { get; }

    /// <summary>Creates <paramref name="path"/> (overwriting it).</summary>
    /// <param name="path">.mp4, .mov, .mkv or .avi.</param>
    /// <param name="width">Frame width (H.264 needs even sizes; odd sizes fall back to the next codec).</param>
    /// <param name="height">Frame height.</param>
    /// <param name="fps">Frame rate.</param>
    /// <param name="isColor">True for BGR frames, false for 1-channel grey frames.</param>
    /// <param name="fourCc">A codec to use instead of the extension's choice (no fallback then).</param>
    /// <exception cref="OpenCvException">No codec could write the file; the message names it.</exception>
    public static VideoWriter Open(string path, int width, int height, double fps, bool isColor = true, string? fourCc = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!(fps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "The frame rate must be positive.");
        }

        string[] codecs = fourCc is not null
            ? [fourCc]
            : System.IO.Path.GetExtension(path).ToUpperInvariant() switch
            {
                ".MP4" or ".MOV" or ".MKV" or ".M4V" => ["avc1", "mp4v"],
                ".AVI" => ["MJPG"],
                _ => throw new ArgumentException($"Cannot choose a codec for '{path}': use .mp4, .mov, .mkv or .avi, or pass a FOURCC.", nameof(path)),
            };
        foreach (var codec in codecs)
        {
            if (codec.Length != 4)
            {
                throw new ArgumentException($"A FOURCC has four characters; got '{codec}'.", nameof(fourCc));
            }
        }

        OpenCvException? last = null;
        foreach (var codec in codecs)
        {
            try
            {
                var handle = EcvNative.WriterOpen(path, codec, fps, width, height, isColor);
                return new VideoWriter(handle, path, codec, width, height, isColor ? 3 : 1, fps);
            }
            catch (OpenCvException e) when (e.Status == OpenCvStatus.IO)
            {
                // Debian's FFmpeg usually has libx264; an FFmpeg without it (or an odd frame size H.264 refuses)
                // falls through to the next codec.
                last = e;
            }
        }

        throw last!;
    }

    /// <summary>Appends a frame (<see cref="Width"/> x <see cref="Height"/> x <see cref="Channels"/>).</summary>
    public void Write(ImageBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        EcvNative.WriterWrite(_handle, frame.Pixels, frame.Width, frame.Height, frame.Channels);
    }

    /// <summary>Finishes the file and releases the encoder.</summary>
    public void Dispose() => _handle.Dispose();
}
