namespace EdgeSeg.Scene.Configuration;

/// <summary><c>camera_obstructed</c>: almost no road and low segmenter confidence for a while.</summary>
public sealed class CameraObstructedEventOptions : EventTimingOptions
{
    /// <summary>Creates the options with defaults (start after 3 s, end after 1 s).</summary>
    public CameraObstructedEventOptions()
    {
        StartAfterSeconds = 3.0;
    }

    /// <summary>Road fraction (road + lane marking) at or below which the road part holds. Default 0.02.</summary>
    public double StartRoadFraction { get; set; } = 0.02;

    /// <summary>Road fraction above which the condition is clear; at least <see cref="StartRoadFraction"/>. Default 0.05.</summary>
    public double EndRoadFraction { get; set; } = 0.05;

    /// <summary>
    /// Mean confidence at or below which the confidence part holds. Frames without a confidence map count as low
    /// confidence, so only the road part decides. Default 0.5.
    /// </summary>
    public double StartConfidence { get; set; } = 0.5;

    /// <summary>Mean confidence above which the condition is clear; at least <see cref="StartConfidence"/>. Default 0.6.</summary>
    public double EndConfidence { get; set; } = 0.6;
}
