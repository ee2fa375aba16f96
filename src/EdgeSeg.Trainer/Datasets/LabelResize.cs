namespace EdgeSeg.Trainer.Datasets;

/// <summary>Nearest-neighbour resizing of label maps: never blends, never invents a value.</summary>
internal static class LabelResize
{
    /// <summary>
    /// Resizes <paramref name="source"/> (<paramref name="width"/> x <paramref name="height"/>) to a new array of
    /// <paramref name="newWidth"/> x <paramref name="newHeight"/>, sampling at pixel centres (the convention of
    /// OpenCV's linear and area resizes, so labels stay aligned with the resized image).
    /// </summary>
    public static byte[] Nearest(ReadOnlySpan<byte> source, int width, int height, int newWidth, int newHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(source.Length, width * height, nameof(source));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newHeight);
        var result = new byte[newWidth * newHeight];
        var columns = new int[newWidth];
        for (var x = 0; x < newWidth; x++)
        {
            columns[x] = Math.Min(width - 1, (int)((x + 0.5) * width / newWidth));
        }

        for (var y = 0; y < newHeight; y++)
        {
            var sy = Math.Min(height - 1, (int)((y + 0.5) * height / newHeight));
            var src = source.Slice(sy * width, width);
            var dst = result.AsSpan(y * newWidth, newWidth);
            for (var x = 0; x < newWidth; x++)
            {
                dst[x] = src[columns[x]];
            }
        }

        return result;
    }
}
