namespace EdgeSeg.Trainer.Training;

/// <summary>The training loss.</summary>
internal enum LossKind
{
    /// <summary>Softmax cross-entropy (class weights, ignore label, partial labels).</summary>
    CrossEntropy,

    /// <summary>Soft multi-class Dice.</summary>
    Dice,

    /// <summary>Cross-entropy plus Dice, equally weighted.</summary>
    CrossEntropyDice,
}
