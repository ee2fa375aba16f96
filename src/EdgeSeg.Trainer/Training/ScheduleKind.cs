namespace EdgeSeg.Trainer.Training;

/// <summary>The learning-rate schedule over the whole run (after the optional linear warm-up).</summary>
internal enum ScheduleKind
{
    /// <summary>base * (1 - step/total)^0.9.</summary>
    Poly,

    /// <summary>Cosine decay to zero.</summary>
    Cosine,

    /// <summary>The base rate throughout.</summary>
    Constant,
}
