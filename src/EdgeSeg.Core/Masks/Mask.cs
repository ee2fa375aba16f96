using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Masks;

/// <summary>
/// A segmentation mask: <see cref="Width"/> x <see cref="Height"/> appliance class indices, one byte per pixel,
/// row-major with no padding. Never normalised and never given a channel dimension.
/// </summary>
/// <remarks>
/// The constructors validate every value. A mask owned by a hot path (a pooled output buffer) is written through
/// <see cref="Pixels"/> by trusted producers such as the segmenter; call <see cref="Validate"/> where the writer
/// is not trusted.
/// </remarks>
public sealed class Mask
{
    private readonly byte[] _data;

    /// <summary>Creates an all-background mask.</summary>
    public Mask(int width, int height)
    {
        CheckSize(width, height);
        Width = width;
        Height = height;
        _data = new byte[checked(width * height)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied; the mask owns it from now on) after validating every value.</summary>
    /// <exception cref="ArgumentException">The length is not width x height, or a value is not an appliance class.</exception>
    public Mask(int width, int height, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSize(width, height);
        if (data.Length != (long)width * height)
        {
            throw new ArgumentException(
                $"Mask data has {data.Length} bytes; a {width}x{height} mask needs {(long)width * height}.", nameof(data));
        }

        Width = width;
        Height = height;
        _data = data;
        Validate();
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of pixels.</summary>
    public int PixelCount => _data.Length;

    /// <summary>The pixels, row-major. Writers must store appliance class indices only.</summary>
    public Span<byte> Pixels => _data;

    /// <summary>Row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        return _data.AsSpan(y * Width, Width);
    }

    /// <summary>The class at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public ApplianceClass this[int x, int y]
    {
        get => (ApplianceClass)_data[Offset(x, y)];
        set => _data[Offset(x, y)] = (byte)value;
    }

    /// <summary>Throws when any pixel is not an appliance class, naming the value and its position.</summary>
    /// <exception cref="InvalidMaskException">A pixel holds a value of <see cref="ApplianceClasses.Count"/> or more.</exception>
    public void Validate() => ThrowIfOutOfRange(_data, Width, ApplianceClasses.Count);

    /// <summary>A deep copy.</summary>
    public Mask Clone() => new(Width, Height, (byte[])_data.Clone());

    /// <summary>
    /// Throws <see cref="InvalidMaskException"/> naming the first value of <paramref name="pixels"/> that is
    /// <paramref name="classCount"/> or more, with its (x, y) position for a row width of <paramref name="width"/>.
    /// </summary>
    public static void ThrowIfOutOfRange(ReadOnlySpan<byte> pixels, int width, int classCount)
    {
        if (classCount >= 256)
        {
            return;
        }

        // IndexOfAnyInRange is vectorised: validation costs one pass at memory speed.
        var bad = pixels.IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (bad >= 0)
        {
            throw new InvalidMaskException(pixels[bad], bad % width, bad / width, classCount);
        }
    }

    private int Offset(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)x, (uint)Width, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        return (y * Width) + x;
    }

    private static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
    }
}
