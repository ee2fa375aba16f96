using EdgeSeg.Core.Masks;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// What the inference stage attaches to a frame (<c>Frame.Result</c>): the appliance-class mask and the per-pixel
/// confidence of the chosen class. Pooled by <see cref="SegmentationStage"/>: valid only while the frame is rented.
/// </summary>
internal sealed class SegmentationResult(int width, int height)
{
    /// <summary>The mask, the frame's size.</summary>
    public Mask Mask { get; } = new(width, height);

    /// <summary>Confidence of each pixel's class (0..1), row-major.</summary>
    public float[] Confidence { get; } = new float[width * height];
}
