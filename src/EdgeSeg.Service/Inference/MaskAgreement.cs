using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.Service.Inference;

/// <summary>
/// How far two segmenters agree on the frames of a clip: the share of pixels whose class is the same (a GPU provider
/// against the CPU: floating-point order differs, so a few border pixels may flip). Not thread-safe.
/// </summary>
internal static class MaskAgreement
{
    /// <summary>The goal a GPU provider's masks meet against the CPU's.</summary>
    public const double Goal = 0.999;

    /// <summary>Segments the first <paramref name="frames"/> frames of <paramref name="clip"/> with both segmenters.</summary>
    /// <returns>Frames compared, pixels compared, pixels equal.</returns>
    public static (int Frames, long Pixels, long Equal) Measure(Segmenter a, Segmenter b, string clip, int frames)
    {
        using var capture = VideoCapture.Open(clip);
        var frame = new ImageBuffer(capture.Width, capture.Height, 3);
        var maskA = new Mask(capture.Width, capture.Height);
        var maskB = new Mask(capture.Width, capture.Height);
        var (count, pixels, equal) = (0, 0L, 0L);
        while (count < frames && capture.Read(frame, out _))
        {
            a.Segment(frame, maskA);
            b.Segment(frame, maskB);
            var x = maskA.Pixels;
            var y = maskB.Pixels;
            for (var i = 0; i < x.Length; i++)
            {
                equal += x[i] == y[i] ? 1 : 0;
            }

            pixels += x.Length;
            count++;
        }

        return (count, pixels, equal);
    }
}
