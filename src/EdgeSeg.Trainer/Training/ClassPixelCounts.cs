using EdgeSeg.Core.Classes;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Training;

/// <summary>
/// Label statistics over training masks for class weighting: pixels per class and, per class, the labelled pixels
/// of the images in which it occurs. Ignored pixels are not counted; a partial label counts for the lowest class of
/// its set (its carrier). Not thread-safe; <see cref="Add(ClassPixelCounts)"/> merges per-thread counts.
/// </summary>
internal sealed class ClassPixelCounts
{
    private readonly long[] _pixels = new long[ApplianceClasses.Count];
    private readonly long[] _presentImagePixels = new long[ApplianceClasses.Count];

    /// <summary>Pixels labelled with each class.</summary>
    public IReadOnlyList<long> Pixels => _pixels;

    /// <summary>For each class, the labelled pixels of all images in which the class occurs.</summary>
    public IReadOnlyList<long> PresentImagePixels => _presentImagePixels;

    /// <summary>All labelled pixels.</summary>
    public long Total => _pixels.Sum();

    /// <summary>Counts one mask of label codes.</summary>
    public void Add(ReadOnlySpan<byte> labels, LabelSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        Span<long> byCode = stackalloc long[256];
        foreach (var code in labels)
        {
            byCode[code]++;
        }

        Span<long> image = stackalloc long[ApplianceClasses.Count];
        for (var code = 0; code < space.CodeCount; code++)
        {
            if (byCode[code] > 0)
            {
                image[space.PrimaryClass((byte)code)] += byCode[code];
            }
        }

        long labelled = 0;
        foreach (var n in image)
        {
            labelled += n;
        }

        for (var c = 0; c < image.Length; c++)
        {
            _pixels[c] += image[c];
            if (image[c] > 0)
            {
                _presentImagePixels[c] += labelled;
            }
        }
    }

    /// <summary>Adds counts made elsewhere.</summary>
    public void Add(ClassPixelCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var c = 0; c < _pixels.Length; c++)
        {
            _pixels[c] += other._pixels[c];
            _presentImagePixels[c] += other._presentImagePixels[c];
        }
    }
}
