using System.Globalization;

namespace EdgeSeg.Core.Classes;

/// <summary>An 8-bit-per-channel colour in red, green, blue order.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <inheritdoc />
    public override string ToString() => ToHex();
}
