namespace EdgeSeg.Core.Segmentation;

/// <summary>How a <see cref="Segmenter"/> opens and runs its model. Mutable configuration object.</summary>
public sealed class SegmenterOptions
{
    /// <summary>Providers, device, threads and library for the inference engine.</summary>
    public InferenceOptions Inference { get; set; } = new();

    /// <summary>How reduced-resolution outputs reach the frame size (default bilinear on the logits).</summary>
    public UpsampleMode Upsample { get; set; } = UpsampleMode.Bilinear;
}
