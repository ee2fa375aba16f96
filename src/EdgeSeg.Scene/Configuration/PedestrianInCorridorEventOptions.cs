namespace EdgeSeg.Scene.Configuration;

/// <summary><c>pedestrian_in_corridor</c>: pedestrian pixels fill part of the ego corridor.</summary>
public sealed class PedestrianInCorridorEventOptions : EventTimingOptions
{
    /// <summary>Creates the options with defaults (start after 0.3 s, end after 1 s).</summary>
    public PedestrianInCorridorEventOptions()
    {
        StartAfterSeconds = 0.3;
    }

    /// <summary>Pedestrian fraction of the corridor at or above which the condition holds. Default 0.002.</summary>
    public double StartFraction { get; set; } = 0.002;

    /// <summary>Pedestrian fraction of the corridor below which the condition is clear; at most <see cref="StartFraction"/>. Default 0.001.</summary>
    public double EndFraction { get; set; } = 0.001;
}
