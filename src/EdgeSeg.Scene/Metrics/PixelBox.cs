namespace EdgeSeg.Scene.Metrics;

/// <summary>An axis-aligned box in pixels: columns <see cref="X"/>..X+Width-1, rows <see cref="Y"/>..Y+Height-1.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    /// <summary>One past the last column.</summary>
    public int Right => X + Width;

    /// <summary>One past the last row: the object's bottom edge.</summary>
    public int Bottom => Y + Height;
}
