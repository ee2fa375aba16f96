namespace EdgeSeg.Scene.Metrics;

/// <summary>How trustworthy the frame looks.</summary>
/// <param name="MeanConfidence">Mean per-pixel confidence (0..1) when the segmenter supplied one; else null.</param>
/// <param name="RoadFraction">Fraction of the frame that is road or lane marking (used for obstruction detection).</param>
public readonly record struct QualityMetrics(double? MeanConfidence, double RoadFraction);
