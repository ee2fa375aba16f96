namespace EdgeSeg.Training.Models;

/// <summary>How the U-Net decoder doubles resolution.</summary>
public enum UpsamplingMode
{
    /// <summary>2x2 stride-2 transposed convolution halving the channels (the original U-Net).</summary>
    TransposedConv,

    /// <summary>Bilinear resize x2 (ONNX Resize, half_pixel), channels unchanged.</summary>
    Bilinear,
}
