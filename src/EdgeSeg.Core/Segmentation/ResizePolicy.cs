namespace EdgeSeg.Core.Segmentation;

/// <summary>How a frame is fitted into a fixed-size model input.</summary>
public enum ResizePolicy
{
    /// <summary>Scale each axis independently to the input size (the aspect ratio may change).</summary>
    Stretch,

    /// <summary>Keep the aspect ratio, centre the frame and pad the rest; the padding is cropped out of the result.</summary>
    Letterbox,
}
