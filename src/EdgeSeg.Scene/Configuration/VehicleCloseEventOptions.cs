namespace EdgeSeg.Scene.Configuration;

/// <summary><c>vehicle_close</c>: the nearest vehicle in the corridor is close, or closing fast.</summary>
public sealed class VehicleCloseEventOptions : EventTimingOptions
{
    /// <summary>Creates the options with defaults (start after 0.3 s, end after 1 s).</summary>
    public VehicleCloseEventOptions()
    {
        StartAfterSeconds = 0.3;
    }

    /// <summary>Proximity (0 horizon .. 1 bottom edge) at or above which the condition holds. Default 0.75.</summary>
    public double StartProximity { get; set; } = 0.75;

    /// <summary>Proximity below which the proximity part is clear; at most <see cref="StartProximity"/>. Default 0.65.</summary>
    public double EndProximity { get; set; } = 0.65;

    /// <summary>Time-to-contact in seconds at or below which the condition holds. Default 2.</summary>
    public double StartTimeToContactSeconds { get; set; } = 2.0;

    /// <summary>Time-to-contact above which (or none) the time part is clear; at least <see cref="StartTimeToContactSeconds"/>. Default 3.</summary>
    public double EndTimeToContactSeconds { get; set; } = 3.0;
}
