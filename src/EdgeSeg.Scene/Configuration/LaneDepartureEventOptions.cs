namespace EdgeSeg.Scene.Configuration;

/// <summary><c>lane_departure</c>: the lateral offset from the lane centre stays beyond a threshold.</summary>
public sealed class LaneDepartureEventOptions : EventTimingOptions
{
    /// <summary>Creates the options with defaults (start after 0.5 s, end after 1 s).</summary>
    public LaneDepartureEventOptions()
    {
    }

    /// <summary>|offset| (fraction of lane width) at or above which the condition holds. Default 0.3.</summary>
    public double StartOffset { get; set; } = 0.3;

    /// <summary>|offset| below which the condition is clear; at most <see cref="StartOffset"/>. Default 0.2.</summary>
    public double EndOffset { get; set; } = 0.2;

    /// <summary>
    /// Lane confidence below which a frame is no evidence either way: it neither resets a pending start nor counts
    /// towards ending an active event, for up to <see cref="EventTimingOptions.EndAfterSeconds"/> after the last usable
    /// frame; a lane lost for longer counts as clear. Default 0.1.
    /// </summary>
    public double MinLaneConfidence { get; set; } = 0.1;
}
