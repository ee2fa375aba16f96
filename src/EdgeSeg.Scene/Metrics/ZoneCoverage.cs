namespace EdgeSeg.Scene.Metrics;

/// <summary>Class coverage inside one configured zone.</summary>
/// <param name="Name">The zone's configured name.</param>
/// <param name="Coverage">Pixel counts per class inside the zone; <see cref="ClassCoverage.Total"/> is the zone's area.</param>
public readonly record struct ZoneCoverage(string Name, ClassCoverage Coverage);
