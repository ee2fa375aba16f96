namespace EdgeSeg.Core.Segmentation;

/// <summary>The channel order a model expects in its input tensor.</summary>
public enum ColorOrder
{
    /// <summary>Red, green, blue (PyTorch and most exported models).</summary>
    Rgb,

    /// <summary>Blue, green, red (OpenCV's order, which frames arrive in).</summary>
    Bgr,
}
