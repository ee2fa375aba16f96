using EdgeSeg.Training.Modules;

namespace EdgeSeg.Training.Models;

/// <summary>
/// A network that maps normalised pixels [N, InputChannels, H, W] to logits [N, Classes, H, W] for any H x W: what
/// the trainer trains, validates, checkpoints and exports. Inputs are padded internally to a multiple of
/// <see cref="MultipleOf"/> and the padding is cropped from the logits.
/// </summary>
public abstract class SegmentationNetwork : Module
{
    /// <summary>Input sizes are padded to a multiple of this.</summary>
    public abstract int MultipleOf { get; }

    /// <summary>Output classes (logit channels).</summary>
    public abstract int Classes { get; }

    /// <summary>Input channels (3 for colour).</summary>
    public abstract int InputChannels { get; }

    /// <summary>The architecture's name as checkpoints record it (<c>unet</c>, <c>resnet18-unet</c>).</summary>
    public abstract string Architecture { get; }

    /// <summary>One line for people: the architecture and its size.</summary>
    public abstract string Summary { get; }

    /// <summary>Trainable values.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Value.Length);
}
