namespace EdgeSeg.Trainer.Synthesis;

/// <summary>How a lane boundary is painted.</summary>
internal enum LaneLineStyle
{
    /// <summary>No paint.</summary>
    None,

    /// <summary>One continuous line.</summary>
    Solid,

    /// <summary>Dashes along the road.</summary>
    Dashed,

    /// <summary>Two continuous lines side by side.</summary>
    DoubleSolid,
}
