namespace EdgeSeg.Trainer.Training;

/// <summary>How the loss weights classes.</summary>
internal enum ClassWeighting
{
    /// <summary>Every class weighs 1.</summary>
    None,

    /// <summary>Median-frequency balancing (Eigen and Fergus): median(freq) / freq(c).</summary>
    MedianFrequency,

    /// <summary>ENet's 1 / ln(c + p(c)) with c = 1.02.</summary>
    Enet,

    /// <summary>Weights given on the command line.</summary>
    Given,
}
