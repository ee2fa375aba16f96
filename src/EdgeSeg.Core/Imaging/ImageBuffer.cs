namespace EdgeSeg.Core.Imaging;

/// <summary>
/// An 8-bit image: <see cref="Height"/> rows of <see cref="Width"/> pixels with <see cref="Channels"/> interleaved
/// bytes each (3 = BGR, OpenCV's order; 1 = grey or class indices), row-major, no row padding.
/// </summary>
/// <remarks>
/// The buffer may be longer than <see cref="ByteCount"/> (a pooled array); only the first <see cref="ByteCount"/>
/// bytes are the image. Whoever created the buffer owns the array.
/// </remarks>
public sealed class ImageBuffer
{
    /// <summary>Allocates a zeroed image.</summary>
    public ImageBuffer(int width, int height, int channels)
        : this(width, height, channels, new byte[CheckedByteCount(width, height, channels)])
    {
    }

    /// <summary>Wraps <paramref name="data"/> (not copied), which must hold at least width x height x channels bytes.</summary>
    public ImageBuffer(int width, int height, int channels, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var needed = CheckedByteCount(width, height, channels);
        if (data.Length < needed)
        {
            throw new ArgumentException($"A {width}x{height}x{channels} image needs {needed} bytes; the buffer has {data.Length}.", nameof(data));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Data = data;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per pixel: 1 or 3 (BGR) or 4 (BGRA).</summary>
    public int Channels { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>Bytes of image data.</summary>
    public int ByteCount => Stride * Height;

    /// <summary>The underlying array (may be longer than <see cref="ByteCount"/>).</summary>
    public byte[] Data { get; }

    /// <summary>The image bytes.</summary>
    public Span<byte> Pixels => Data.AsSpan(0, ByteCount);

    /// <summary>Row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        return Data.AsSpan(y * Stride, Stride);
    }

    private static int CheckedByteCount(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1, 3 (BGR) or 4 (BGRA) channels.");
        }

        return checked(width * height * channels);
    }
}
