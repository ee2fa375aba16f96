namespace EdgeSeg.Core.Segmentation;

/// <summary>How a <see cref="Segmenter"/> opens and runs its model. Mutable configuration object.</summary>
public sealed class SegmenterOptions
{
    /// <summary>Providers, device, threads and library for the inference engine.</summary>
    public InferenceOptions Inference { get; set; } = new();

    /// <summary>How reduced-resolution outputs reach the frame size (default bilinear on the logits).</summary>
    public UpsampleMode Upsample { get; set; } = UpsampleMode.Bilinear;

    /// <summary>
    /// The most frames <see cref="Segmenter.SegmentBatch"/> runs through the model at once (default 1). Takes effect
    /// when the model's input has a dynamic batch dimension (or a fixed batch above 1); the tensors are sized for it once.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1;
}
