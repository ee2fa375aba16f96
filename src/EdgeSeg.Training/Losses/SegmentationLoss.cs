using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Losses;

/// <summary>A weighted sum of cross-entropy and Dice: ceWeight * CE + diceWeight * Dice. Immutable; safe to share.</summary>
public sealed class SegmentationLoss
{
    /// <summary>Creates the combined loss; a weight of 0 skips that term.</summary>
    public SegmentationLoss(CrossEntropyLoss crossEntropy, DiceLoss? dice, float crossEntropyWeight = 1f, float diceWeight = 1f)
    {
        ArgumentNullException.ThrowIfNull(crossEntropy);
        ArgumentOutOfRangeException.ThrowIfNegative(crossEntropyWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(diceWeight);
        if (dice is not null && dice.Classes != crossEntropy.Classes)
        {
            throw new ArgumentException($"dice has {dice.Classes} classes, cross-entropy {crossEntropy.Classes}.", nameof(dice));
        }

        CrossEntropy = crossEntropy;
        Dice = dice;
        CrossEntropyWeight = crossEntropyWeight;
        DiceWeight = dice is null ? 0f : diceWeight;
    }

    /// <summary>The cross-entropy term.</summary>
    public CrossEntropyLoss CrossEntropy { get; }

    /// <summary>The Dice term, or null.</summary>
    public DiceLoss? Dice { get; }

    /// <summary>Weight of the cross-entropy term.</summary>
    public float CrossEntropyWeight { get; }

    /// <summary>Weight of the Dice term.</summary>
    public float DiceWeight { get; }

    /// <summary>The scalar loss for logits [N, K, H, W] and N*H*W labels.</summary>
    public Tensor Forward(Tensor logits, ReadOnlySpan<byte> labels)
    {
        var ce = Ops.Scale(CrossEntropy.Forward(logits, labels), CrossEntropyWeight);
        if (Dice is null || DiceWeight == 0f)
        {
            return ce;
        }

        return Ops.Add(ce, Ops.Scale(Dice.Forward(logits, labels), DiceWeight));
    }
}
