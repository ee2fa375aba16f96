using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;

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

    /// <summary>
    /// The frame's own tensors while it is between its model run (inference stage) and its decode (analysis stage);
    /// null once decoded, and for frames segmented whole by the inference stage.
    /// </summary>
    public SegmentationSlot? Slot { get; set; }

    /// <summary>How long pre-processing, the model run and post-processing took for this frame.</summary>
    public SegmentTimings Timings { get; set; }
}
