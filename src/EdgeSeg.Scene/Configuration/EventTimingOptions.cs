namespace EdgeSeg.Scene.Configuration;

/// <summary>
/// Hysteresis in time shared by every event: how long a condition must hold before an event starts, how long it must
/// be clear before it ends, and how often an active event is updated.
/// </summary>
public class EventTimingOptions
{
    /// <summary>False turns the event off entirely. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds the start condition must hold (over at least <see cref="MinFrames"/> frames) before the event starts.</summary>
    public double StartAfterSeconds { get; set; } = 0.5;

    /// <summary>Seconds the end condition must hold before the event ends.</summary>
    public double EndAfterSeconds { get; set; } = 1.0;

    /// <summary>Consecutive frames the start condition must hold; at least 2, so one frame never starts an event. Default 2.</summary>
    public int MinFrames { get; set; } = 2;

    /// <summary>Seconds between update messages of an active event (&gt; 0). Default 1.</summary>
    public double UpdateIntervalSeconds { get; set; } = 1.0;
}
