using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// A decoded training or validation sample: a BGR image and its per-pixel label codes (see <see cref="LabelSpace"/>)
/// of the same size. Owns both buffers; samples in the cache are shared read-only by the augmentation threads.
/// </summary>
/// <param name="Image">The 3-channel BGR image.</param>
/// <param name="Labels">Width x height label codes, row-major.</param>
/// <param name="DatasetIndex">Which of the run's datasets it came from.</param>
/// <param name="Stem">Its stem in that dataset.</param>
internal sealed record Sample(ImageBuffer Image, byte[] Labels, int DatasetIndex, string Stem)
{
    /// <summary>Width in pixels.</summary>
    public int Width => Image.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => Image.Height;
}
