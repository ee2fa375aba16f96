using System.Buffers.Binary;
using System.IO.Compression;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A minimal PNG encoder (8-bit grey or RGB, filter "Sub" on every row, zlib via the BCL): masks must be lossless
/// single-channel PNGs, and this keeps the generator free of native code. Output is deterministic.
/// </summary>
internal static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Writes a mask as an 8-bit single-channel PNG whose pixel values are the class indices.</summary>
    public static void WriteMask(string path, Mask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        Write(path, mask.Width, mask.Height, 1, mask.Pixels, swapBgr: false);
    }

    /// <summary>Writes a BGR (or grey) image as an 8-bit RGB (or grey) PNG.</summary>
    public static void WriteImage(string path, ImageBuffer image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"PNG output takes 1- or 3-channel images; this one has {image.Channels}.", nameof(image));
        }

        Write(path, image.Width, image.Height, image.Channels, image.Pixels, swapBgr: image.Channels == 3);
    }

    private static void Write(string path, int width, int height, int channels, ReadOnlySpan<byte> pixels, bool swapBgr)
    {
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        for (var y = 0; y < height; y++)
        {
            var src = pixels.Slice(y * stride, stride);
            var dst = raw.AsSpan((y * (stride + 1)) + 1, stride);
            raw[y * (stride + 1)] = 1; // filter type Sub: each byte minus the byte one pixel to the left
            if (swapBgr)
            {
                for (var x = 0; x < stride; x += 3)
                {
                    dst[x] = src[x + 2];
                    dst[x + 1] = src[x + 1];
                    dst[x + 2] = src[x];
                }
            }
            else
            {
                src.CopyTo(dst);
            }

            // Right to left so each subtraction still sees the unfiltered left neighbour.
            for (var x = stride - 1; x >= channels; x--)
            {
                dst[x] = (byte)(dst[x] - dst[x - channels]);
            }
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;
        header[9] = (byte)(channels == 1 ? 0 : 2);
        header[10] = 0;
        header[11] = 0;
        header[12] = 0;
        Chunk(file, "IHDR", header);
        Chunk(file, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        Span<byte> name = [(byte)type[0], (byte)type[1], (byte)type[2], (byte)type[3]];
        stream.Write(name);
        stream.Write(data);
        var crc = Update(0xFFFFFFFFu, name);
        crc = Update(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
