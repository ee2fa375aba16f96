namespace EdgeSeg.Scene.Geometry;

/// <summary>
/// A rasterised region: for each row, sorted disjoint column intervals [start, end). Built once per frame size,
/// read every frame without allocating.
/// </summary>
internal sealed class RowSpans
{
    private readonly int[] _rowStart;
    private readonly int[] _starts;
    private readonly int[] _ends;

    public RowSpans(int height, int[] rowStart, int[] starts, int[] ends)
    {
        Height = height;
        _rowStart = rowStart;
        _starts = starts;
        _ends = ends;
    }

    public int Height { get; }

    /// <summary>Total pixels in the region.</summary>
    public int Area
    {
        get
        {
            var area = 0;
            for (var i = 0; i < _starts.Length; i++)
            {
                area += _ends[i] - _starts[i];
            }

            return area;
        }
    }

    /// <summary>The spans of row <paramref name="y"/> as parallel start/end slices.</summary>
    public void Row(int y, out ReadOnlySpan<int> starts, out ReadOnlySpan<int> ends)
    {
        var from = _rowStart[y];
        var count = _rowStart[y + 1] - from;
        starts = _starts.AsSpan(from, count);
        ends = _ends.AsSpan(from, count);
    }
}
