namespace EdgeSeg.Scene.Configuration;

/// <summary>Proximity of the nearest vehicle and pedestrian in the corridor, and its smoothing across frames.</summary>
public sealed class ProximityOptions
{
    /// <summary>
    /// The horizon's row, normalised (0..1), where proximity is 0; used when no calibration gives a horizon. Default 0.5.
    /// </summary>
    public double HorizonY { get; set; } = 0.5;

    /// <summary>Time constant of the exponential smoothing of the closing rate, in seconds (&gt; 0). Default 0.5.</summary>
    public double SmoothingSeconds { get; set; } = 0.5;

    /// <summary>
    /// A jump in proximity larger than this between frames means a different object is nearest: the rate restarts.
    /// Default 0.15.
    /// </summary>
    public double MaxJump { get; set; } = 0.15;

    /// <summary>
    /// Longest gap between frames, in seconds, across which a rate is still computed; longer gaps restart it. Default 1.
    /// </summary>
    public double MaxGapSeconds { get; set; } = 1.0;

    /// <summary>Closing rates below this (proximity per second) report no time-to-contact. Default 0.01.</summary>
    public double MinClosingRate { get; set; } = 0.01;
}
