using System.Buffers.Binary;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// An image file's size read from its header alone (PNG, JPEG, BMP), so that an image too large to decode is refused
/// before a decoder allocates its pixels: a 2.7 MB PNG can declare 30000x30000 (2.7 GB decoded). Reads at most the
/// bytes up to the JPEG frame header; never decodes.
/// </summary>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether the file starts like a PNG, JPEG or BMP image (by content, not by name).</summary>
    public static bool LooksLikeImage(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[8];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return Kind(head[..n]) is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the width and height a PNG, JPEG or BMP file declares. Returns false, with the reason, when the file is
    /// none of these or its header is cut short or malformed.
    /// </summary>
    public static bool TryRead(string path, out int width, out int height, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        (width, height, problem) = (0, 0, null);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[26];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            switch (Kind(head[..n]))
            {
                case "png" when n >= 24 && head[12..16].SequenceEqual("IHDR"u8):
                    width = BinaryPrimitives.ReadInt32BigEndian(head[16..]);
                    height = BinaryPrimitives.ReadInt32BigEndian(head[20..]);
                    break;
                case "bmp" when n >= 26:
                    width = BinaryPrimitives.ReadInt32LittleEndian(head[18..]);
                    // Negative: rows stored top-down.
                    height = Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..]));
                    break;
                case "jpeg":
                    stream.Position = 2;
                    if (!TryReadJpegFrame(stream, out width, out height))
                    {
                        problem = "a JPEG without a readable frame header (truncated or corrupt)";
                        return false;
                    }

                    break;
                case null:
                    problem = "not a PNG, JPEG or BMP image (its first bytes are none of these)";
                    return false;
                default:
                    problem = "an image header cut short (truncated or corrupt)";
                    return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return false;
        }

        if (width <= 0 || height <= 0)
        {
            problem = $"its header declares a size of {width}x{height}";
            return false;
        }

        return true;
    }

    private static string? Kind(ReadOnlySpan<byte> head) =>
        head.StartsWith(PngSignature) ? "png"
        : head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF ? "jpeg"
        : head.StartsWith("BM"u8) ? "bmp"
        : null;

    /// <summary>Walks the JPEG markers from after SOI to the first start-of-frame (SOF0-SOF15 but DHT, JPG, DAC).</summary>
    private static bool TryReadJpegFrame(Stream stream, out int width, out int height)
    {
        (width, height) = (0, 0);
        Span<byte> segment = stackalloc byte[9];
        while (true)
        {
            int b;
            // Markers may be padded with any number of 0xFF bytes.
            do
            {
                b = stream.ReadByte();
            }
            while (b == 0xFF);

            if (b < 0)
            {
                return false;
            }

            var marker = b;
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                // Markers without a length.
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                // End of image, or scan data before any frame header.
                return false;
            }

            if (stream.ReadAtLeast(segment[..2], 2, throwOnEndOfStream: false) < 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(segment);
            if (length < 2)
            {
                return false;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 7 || stream.ReadAtLeast(segment[2..7], 5, throwOnEndOfStream: false) < 5)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(segment[5..]);
                return true;
            }

            stream.Seek(length - 2, SeekOrigin.Current);
        }
    }
}
