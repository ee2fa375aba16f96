namespace EdgeSeg.Core.Segmentation;

/// <summary>How reduced-resolution outputs are brought to the frame's size.</summary>
public enum UpsampleMode
{
    /// <summary>Bilinear upsampling of the logits (or probabilities) to the frame size, then arg-max: the default and the accurate one.</summary>
    Bilinear,

    /// <summary>Arg-max at the model's resolution, then nearest-neighbour upsampling of the labels: faster, blockier edges.</summary>
    Fast,
}
