namespace EdgeSeg.Core.Segmentation;

/// <summary>What a model output holds.</summary>
public enum OutputKind
{
    /// <summary>Unnormalised class scores, N x C x H x W: upsampled, then the arg-max is taken; confidence is the softmax maximum.</summary>
    Logits,

    /// <summary>Class probabilities, N x C x H x W (a softmax is in the graph): like logits, confidence is the maximum.</summary>
    Probabilities,

    /// <summary>Class indices (N x H x W, or N x 1 x H x W), integers: upsampled nearest-neighbour, confidence 1.</summary>
    Labels,
}
