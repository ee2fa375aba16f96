namespace EdgeSeg.Trainer.Training;

/// <summary>The optimiser.</summary>
internal enum OptimizerKind
{
    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW,

    /// <summary>SGD with momentum (Nesterov optional).</summary>
    Sgd,
}
