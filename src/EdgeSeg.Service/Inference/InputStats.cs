using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Service.Inference;

/// <summary>Frames, stage times and class coverage accumulated over one input.</summary>
internal sealed class InputStats(string name)
{
    private readonly long[] _pixels = new long[ApplianceClasses.Count];
    private TimeSpan _preprocess;
    private TimeSpan _inference;
    private TimeSpan _postprocess;

    public string Name { get; } = name;

    public int Frames { get; private set; }

    public double PreprocessMs => Frames == 0 ? 0 : _preprocess.TotalMilliseconds / Frames;

    public double InferenceMs => Frames == 0 ? 0 : _inference.TotalMilliseconds / Frames;

    public double PostprocessMs => Frames == 0 ? 0 : _postprocess.TotalMilliseconds / Frames;

    /// <summary>The share of all pixels seen that took each class.</summary>
    public double Coverage(int cls)
    {
        var total = _pixels.Sum();
        return total == 0 ? 0 : (double)_pixels[cls] / total;
    }

    /// <summary>Counts a frame; <paramref name="counts"/> receives this frame's per-class pixel counts.</summary>
    public void Add(Mask mask, SegmentTimings timings, Span<long> counts)
    {
        Count(mask.Pixels, counts);
        for (var c = 0; c < _pixels.Length; c++)
        {
            _pixels[c] += counts[c];
        }

        _preprocess += timings.Preprocess;
        _inference += timings.Inference;
        _postprocess += timings.Postprocess;
        Frames++;
    }

    public static void Count(ReadOnlySpan<byte> pixels, Span<long> counts)
    {
        counts.Clear();
        for (var c = 0; c < counts.Length; c++)
        {
            counts[c] = pixels.Count((byte)c);
        }
    }
}
