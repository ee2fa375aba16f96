namespace EdgeSeg.Core.Segmentation;

/// <summary>How long each stage of one <see cref="Segmenter.Segment"/> call took.</summary>
/// <param name="Preprocess">Frame to input tensor.</param>
/// <param name="Inference">The model run.</param>
/// <param name="Postprocess">Outputs to the mask (and confidence).</param>
public readonly record struct SegmentTimings(TimeSpan Preprocess, TimeSpan Inference, TimeSpan Postprocess)
{
    /// <summary>The three stages together.</summary>
    public TimeSpan Total => Preprocess + Inference + Postprocess;
}
