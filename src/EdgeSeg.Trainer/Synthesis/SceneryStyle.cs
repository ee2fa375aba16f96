namespace EdgeSeg.Trainer.Synthesis;

/// <summary>What lines the road.</summary>
internal enum SceneryStyle
{
    /// <summary>Continuous buildings of several storeys, wide pavements, street lamps.</summary>
    Urban,

    /// <summary>Houses with gaps, trees, pavements and grass verges.</summary>
    Suburban,

    /// <summary>Grass, hedges and trees; no pavement.</summary>
    Rural,
}
