namespace EdgeSeg.Core.Segmentation;

/// <summary>Where a <see cref="SegmentationSlot"/>'s frame is on its way through the segmenter.</summary>
public enum SegmentationSlotState
{
    /// <summary>Rented, nothing in it yet.</summary>
    Empty,

    /// <summary>The frame is pre-processed into the input tensor.</summary>
    Prepared,

    /// <summary>The model has run; the outputs are ready to decode.</summary>
    Ran,

    /// <summary>Decoded into a mask; the slot can be returned (or prepared again).</summary>
    Decoded,
}
