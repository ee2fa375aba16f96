using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Classes;

/// <summary>
/// Maps a model's or a dataset's own class indices (0..255) onto appliance classes, with an optional ignore
/// label that maps to <see cref="Ignore"/>. Immutable and thread-safe.
/// </summary>
public sealed class ClassMap
{
    /// <summary>The value <see cref="Apply"/> writes for pixels that carry the source's ignore label.</summary>
    public const byte Ignore = 255;

    // Marks a source value that is neither a listed class nor the ignore label. Never a valid output:
    // outputs are appliance classes (0..4) or Ignore.
    private const byte Unmapped = 254;

    private readonly byte[] _lut = new byte[256];

    /// <summary>Creates a map for source classes 0..<paramref name="sourceClassCount"/>-1.</summary>
    /// <param name="sourceClassCount">How many classes the source has; every one must be mapped.</param>
    /// <param name="mapping">Source index to appliance class, for every source class.</param>
    /// <param name="ignoreLabel">A source value (inside or outside the class list) that means "not labelled", or null.</param>
    /// <exception cref="ArgumentException">A source index is out of range, a class is unmapped, or a target is not an appliance class.</exception>
    public ClassMap(int sourceClassCount, IReadOnlyDictionary<int, ApplianceClass> mapping, int? ignoreLabel = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceClassCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sourceClassCount, 256);
        if (ignoreLabel is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(ignoreLabel), ignoreLabel, "The ignore label must be a byte value (0..255).");
        }

        Array.Fill(_lut, Unmapped);
        foreach (var (source, target) in mapping)
        {
            if ((uint)source >= (uint)sourceClassCount)
            {
                throw new ArgumentException(
                    $"Class map names source class {source}, but the source has classes 0..{sourceClassCount - 1}.", nameof(mapping));
            }

            if (!ApplianceClasses.IsValid((int)target))
            {
                throw new ArgumentException(
                    $"Class map sends source class {source} to {(int)target}, which is not an appliance class (0..{ApplianceClasses.Count - 1}).",
                    nameof(mapping));
            }

            _lut[source] = (byte)target;
        }

        for (var i = 0; i < sourceClassCount; i++)
        {
            if (_lut[i] == Unmapped && i != ignoreLabel)
            {
                throw new ArgumentException($"Class map has no appliance class for source class {i}.", nameof(mapping));
            }
        }

        if (ignoreLabel is { } ignore)
        {
            _lut[ignore] = Ignore;
        }

        SourceClassCount = sourceClassCount;
        IgnoreLabel = ignoreLabel;
    }

    /// <summary>The identity map of the appliance classes onto themselves, without an ignore label.</summary>
    public static ClassMap Identity { get; } = new(
        ApplianceClasses.Count,
        ApplianceClasses.All.ToDictionary(c => (int)c.Index, c => c.Class));

    /// <summary>Number of source classes.</summary>
    public int SourceClassCount { get; }

    /// <summary>The source's ignore label, if any.</summary>
    public int? IgnoreLabel { get; }

    /// <summary>The appliance class of source class <paramref name="source"/>, or <see cref="Ignore"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a source class or the ignore label.</exception>
    public byte this[int source]
    {
        get
        {
            if ((uint)source > 255 || _lut[source] == Unmapped)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(source), source, $"Source class value is out of range: classes are 0..{SourceClassCount - 1}.");
            }

            return _lut[source];
        }
    }

    /// <summary>
    /// Maps <paramref name="source"/> pixels into <paramref name="destination"/> (same length; may be the same memory).
    /// </summary>
    /// <param name="source">Source-class pixels, row-major.</param>
    /// <param name="destination">Receives appliance classes, or <see cref="Ignore"/> for the ignore label.</param>
    /// <param name="width">Row width, used only to report the position of a bad value.</param>
    /// <exception cref="InvalidMaskException">A pixel is neither a source class nor the ignore label; nothing useful is left in destination.</exception>
    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination, int width)
    {
        if (destination.Length != source.Length)
        {
            throw new ArgumentException("Source and destination must have the same length.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var lut = _lut;
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            var mapped = lut[value];
            if (mapped == Unmapped)
            {
                // Checked before the store, so the reported value is right even when destination aliases source.
                throw new InvalidMaskException(value, i % width, i / width, SourceClassCount);
            }

            destination[i] = mapped;
        }
    }
}
