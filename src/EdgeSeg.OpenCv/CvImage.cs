using System.Buffers;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Native;

namespace EdgeSeg.OpenCv;

/// <summary>
/// Image I/O and image operations through OpenCV: read/write files, PNG/JPEG encode/decode in memory, resize,
/// overlay blending and connected components. All methods are thread-safe; none keeps a reference to its arguments.
/// </summary>
public static class CvImage
{

    /// <summary>Reads an image file into a new <see cref="ImageBuffer"/> that the caller owns.</summary>
    /// <param name="path">A PNG, JPEG, BMP, ... file.</param>
    /// <param name="mode">Colour (3-channel BGR), grayscale (1 channel) or unchanged (as stored; 1-channel masks stay 1 channel).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OpenCvException">The file is not a readable 8-bit image; the message names the file.</exception>
    public static ImageBuffer Read(string path, ImageReadMode mode = ImageReadMode.Color)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckMode(mode);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        }

        using var mat = EcvNative.ImRead(path, (int)mode);
        return CopyOut(mat);
    }

    /// <summary>Decodes a PNG/JPEG/... image held in memory into a new <see cref="ImageBuffer"/> that the caller owns.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is empty.</exception>
    /// <exception cref="OpenCvException">The bytes are not a readable 8-bit image.</exception>
    public static ImageBuffer Decode(ReadOnlySpan<byte> encoded, ImageReadMode mode = ImageReadMode.Color)
    {
        if (encoded.IsEmpty)
        {
            throw new ArgumentException("There are no bytes to decode.", nameof(encoded));
        }

        CheckMode(mode);
        using var mat = EcvNative.ImDecode(encoded, (int)mode);
        return CopyOut(mat);
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/>; the format follows the extension (.png, .jpg, .jpeg).</summary>
    /// <param name="path">The file to create or overwrite; its folder must exist.</param>
    /// <param name="image">1, 3 (BGR) or 4 (BGRA) channels.</param>
    /// <param name="jpegQuality">JPEG quality 0..100 (ignored for PNG, which is written at compression 3).</param>
    /// <exception cref="ArgumentException">An unsupported extension.</exception>
    /// <exception cref="OpenCvException">The file could not be written.</exception>
    public static void Write(string path, ImageBuffer image, int jpegQuality = 95)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(jpegQuality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".PNG" or ".JPG" or ".JPEG"))
        {
            throw new ArgumentException($"Cannot write '{path}': the extension must be .png, .jpg or .jpeg.", nameof(path));
        }

        EcvNative.ImWrite(path, image.Pixels, image.Width, image.Height, image.Channels, jpegQuality);
    }

    /// <summary>Encodes <paramref name="image"/> into <paramref name="destination"/> and returns the number of bytes written.</summary>
    /// <param name="image">The image (1-channel images encode as 8-bit single-channel PNG/JPEG).</param>
    /// <param name="format">PNG or JPEG.</param>
    /// <param name="destination">Receives the encoded bytes.</param>
    /// <param name="quality">PNG: compression 0..9 (default 3); JPEG: quality 0..100 (default 95); -1 for the default.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small; the message gives the size needed.</exception>
    public static int Encode(ImageBuffer image, ImageFormat format, Span<byte> destination, int quality = -1)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckFormat(format, quality);
        var written = EcvNative.ImEncode(image.Pixels, image.Width, image.Height, image.Channels, (int)format, quality, destination);
        if (written < 0)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the encoded {format} image needs {-written}.", nameof(destination));
        }

        return (int)written;
    }

    /// <summary>Encodes <paramref name="image"/> into a new array (allocates; use the span overload on hot paths).</summary>
    public static byte[] Encode(ImageBuffer image, ImageFormat format, int quality = -1)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckFormat(format, quality);
        var capacity = (image.ByteCount / 2) + 1024;
        while (true)
        {
            var rented = ArrayPool<byte>.Shared.Rent(capacity);
            try
            {
                var written = EcvNative.ImEncode(image.Pixels, image.Width, image.Height, image.Channels, (int)format, quality, rented);
                if (written >= 0)
                {
                    return rented.AsSpan(0, (int)written).ToArray();
                }

                capacity = checked((int)-written);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Resizes <paramref name="source"/> into <paramref name="destination"/> (its size is the target size).</summary>
    /// <exception cref="ArgumentException">The channel counts differ.</exception>
    public static void Resize(ImageBuffer source, ImageBuffer destination, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Channels != destination.Channels)
        {
            throw new ArgumentException($"The source has {source.Channels} channels and the destination {destination.Channels}.", nameof(destination));
        }

        if (interpolation is not (ResizeInterpolation.Nearest or ResizeInterpolation.Linear or ResizeInterpolation.Area))
        {
            throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation.");
        }

        EcvNative.Resize(source.Pixels, source.Width, source.Height, source.Channels, destination.Pixels, destination.Width, destination.Height, (int)interpolation);
    }

    /// <summary>
    /// Colours a class mask over a BGR frame: <c>destination = frame * (1 - alpha) + palette[class] * alpha</c>.
    /// Pixels whose class index is beyond the palette are copied unchanged. <paramref name="destination"/> may be
    /// <paramref name="frame"/> (in place).
    /// </summary>
    /// <param name="frame">A 3-channel BGR frame.</param>
    /// <param name="classIndices">frame.Width x frame.Height class indices, row-major.</param>
    /// <param name="palette">The colour of each class index (1..256 entries), e.g. the appliance classes' colours.</param>
    /// <param name="alpha">The mask's weight in [0, 1].</param>
    /// <param name="destination">A 3-channel image of the frame's size.</param>
    public static void Blend(ImageBuffer frame, ReadOnlySpan<byte> classIndices, ReadOnlySpan<Rgb> palette, float alpha, ImageBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(destination);
        if (frame.Channels != 3 || destination.Channels != 3)
        {
            throw new ArgumentException("Blending needs 3-channel BGR frame and destination.", nameof(frame));
        }

        if (destination.Width != frame.Width || destination.Height != frame.Height)
        {
            throw new ArgumentException($"The destination is {destination.Width}x{destination.Height}; the frame is {frame.Width}x{frame.Height}.", nameof(destination));
        }

        var pixels = frame.Width * frame.Height;
        if (classIndices.Length < pixels)
        {
            throw new ArgumentException($"A {frame.Width}x{frame.Height} frame needs {pixels} class indices; got {classIndices.Length}.", nameof(classIndices));
        }

        if (palette.IsEmpty || palette.Length > 256)
        {
            throw new ArgumentException("The palette must hold 1..256 colours.", nameof(palette));
        }

        if (!(alpha >= 0f && alpha <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in [0, 1].");
        }

        Span<byte> bgr = stackalloc byte[palette.Length * 3];
        for (var i = 0; i < palette.Length; i++)
        {
            bgr[3 * i] = palette[i].B;
            bgr[(3 * i) + 1] = palette[i].G;
            bgr[(3 * i) + 2] = palette[i].R;
        }

        EcvNative.Blend(frame.Pixels, frame.Width, frame.Height, classIndices[..pixels], bgr, palette.Length, alpha, destination.Pixels);
    }

    /// <summary>
    /// Finds the connected components of the pixels equal to <paramref name="value"/> in a single-channel image
    /// (a binary mask, or a class-index mask with <paramref name="value"/> the class).
    /// </summary>
    /// <param name="binaryOrLabels">width x height bytes, row-major.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="value">The foreground value.</param>
    /// <param name="labels">Receives width x height labels: 0 for the background, 1..count for the components.</param>
    /// <param name="stats">Cleared, then receives one entry per component in label order.</param>
    /// <param name="connectivity">8 (default) or 4.</param>
    /// <returns>The number of components (the background is not counted).</returns>
    public static int ConnectedComponents(ReadOnlySpan<byte> binaryOrLabels, int width, int height, byte value, Span<int> labels, IList<ComponentStats> stats, int connectivity = 8)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (connectivity is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Connectivity must be 4 or 8.");
        }

        var pixels = checked(width * height);
        if (binaryOrLabels.Length < pixels)
        {
            throw new ArgumentException($"A {width}x{height} image needs {pixels} bytes; got {binaryOrLabels.Length}.", nameof(binaryOrLabels));
        }

        if (labels.Length < pixels)
        {
            throw new ArgumentException($"A {width}x{height} image needs {pixels} labels; got {labels.Length}.", nameof(labels));
        }

        var capacity = Math.Min(256, (pixels / 2) + 1);
        while (true)
        {
            var statBuffer = ArrayPool<int>.Shared.Rent(capacity * 5);
            var centroidBuffer = ArrayPool<double>.Shared.Rent(capacity * 2);
            try
            {
                var count = EcvNative.ConnectedComponents(binaryOrLabels[..pixels], width, height, value, connectivity, labels[..pixels], statBuffer, centroidBuffer, capacity);
                if (count < 0)
                {
                    capacity = Math.Min(-count, int.MaxValue / 5);
                    continue;
                }

                stats.Clear();
                for (var i = 0; i < count; i++)
                {
                    var s = statBuffer.AsSpan(i * 5, 5);
                    stats.Add(new ComponentStats(i + 1, s[0], s[1], s[2], s[3], s[4], centroidBuffer[2 * i], centroidBuffer[(2 * i) + 1]));
                }

                return count;
            }
            finally
            {
                ArrayPool<int>.Shared.Return(statBuffer);
                ArrayPool<double>.Shared.Return(centroidBuffer);
            }
        }
    }

    private static ImageBuffer CopyOut(MatHandle mat)
    {
        EcvNative.MatInfo(mat, out var width, out var height, out var channels);
        var image = new ImageBuffer(width, height, channels);
        EcvNative.MatCopyTo(mat, image.Pixels);
        return image;
    }

    private static void CheckMode(ImageReadMode mode)
    {
        if (mode is not (ImageReadMode.Color or ImageReadMode.Grayscale or ImageReadMode.Unchanged))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown read mode.");
        }
    }

    private static void CheckFormat(ImageFormat format, int quality)
    {
        switch (format)
        {
            case ImageFormat.Png:
                ArgumentOutOfRangeException.ThrowIfLessThan(quality, -1);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 9);
                break;
            case ImageFormat.Jpeg:
                ArgumentOutOfRangeException.ThrowIfLessThan(quality, -1);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format.");
        }
    }
}
