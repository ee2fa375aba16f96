using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeSeg.Scene.Tests.Support;

/// <summary>
/// A test-only reader for 8-bit greyscale, non-interlaced PNGs (the shared data's index masks): concatenates IDAT,
/// inflates with ZLibStream and undoes filters 0-4. Anything else is rejected with a message naming the file.
/// </summary>
internal static class GrayPng
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height, byte[] Pixels) Read(string path)
    {
        var file = File.ReadAllBytes(path);
        if (!file.AsSpan().StartsWith(Signature))
        {
            throw new InvalidDataException($"{path} is not a PNG file.");
        }

        int width = 0, height = 0;
        using var idat = new MemoryStream();
        var pos = 8;
        while (pos + 8 <= file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 0 || data[12] != 0)
                {
                    throw new InvalidDataException(
                        $"{path}: bit depth {data[8]}, colour type {data[9]}, interlace {data[12]}; only 8-bit greyscale non-interlaced is read.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            pos += 12 + length;
        }

        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(width + 1) * height];
        inflater.ReadExactly(raw);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (width + 1)];
            var line = raw.AsSpan((y * (width + 1)) + 1, width);
            var cur = pixels.AsSpan(y * width, width);
            var prev = y > 0 ? pixels.AsSpan((y - 1) * width, width) : default;
            for (var x = 0; x < width; x++)
            {
                int a = x > 0 ? cur[x - 1] : 0;
                int b = y > 0 ? prev[x] : 0;
                int c = x > 0 && y > 0 ? prev[x - 1] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{path}: unknown filter {filter} on row {y}."),
                };
                cur[x] = (byte)(line[x] + predictor);
            }
        }

        return (width, height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
