using System.Buffers;
using System.Security.Cryptography;
using SkiaSharp;

namespace EdgeSegSubscriber;

/// <summary>
/// What a mask PNG holds: its size, the pixel count of each class index 0-4, pixels with any other value, and the
/// SHA-256 of the decoded pixels (row by row, one byte per pixel) to compare masks without storing them.
/// </summary>
internal sealed record MaskSummary(int Width, int Height, long[] Counts, long OtherValues, string Sha256)
{
    /// <summary>Class indices 0..4: background, road, vehicle, pedestrian, lane_marking.</summary>
    public const int Classes = 5;

    /// <summary>Decodes an 8-bit single-channel PNG (pixel = class index).</summary>
    /// <exception cref="FormatException">The payload is not such a PNG; the message says what it is instead.</exception>
    public static MaskSummary Decode(ReadOnlySequence<byte> payload)
    {
        using var data = SKData.CreateCopy(payload.ToArray());
        using var codec = SKCodec.Create(data) ?? throw new FormatException($"not an image ({payload.Length} bytes)");
        if (codec.EncodedFormat != SKEncodedImageFormat.Png || codec.Info.ColorType != SKColorType.Gray8)
        {
            throw new FormatException($"expected an 8-bit single-channel PNG, got {codec.EncodedFormat} {codec.Info.ColorType}");
        }

        // Decoding into the codec's own info (gray, its colour space) copies the indices unchanged.
        using var bitmap = new SKBitmap(codec.Info);
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not SKCodecResult.Success)
        {
            throw new FormatException($"the PNG did not decode: {result}");
        }

        var width = bitmap.Width;
        var height = bitmap.Height;
        var counts = new long[Classes];
        long other = 0;
        var pixels = bitmap.GetPixelSpan();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * bitmap.RowBytes, width);
            hash.AppendData(row);
            foreach (var value in row)
            {
                if (value < Classes)
                {
                    counts[value]++;
                }
                else
                {
                    other++;
                }
            }
        }

        return new MaskSummary(width, height, counts, other, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
