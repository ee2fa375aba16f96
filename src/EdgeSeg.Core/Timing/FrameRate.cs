namespace EdgeSeg.Core.Timing;

/// <summary>
/// The one range and arithmetic for frame rates (a source's pace, a published stream's largest rate): from
/// <see cref="Minimum"/> to <see cref="Maximum"/> frames per second. Periods are computed here so that no rate, however
/// small or large, can overflow a <see cref="TimeSpan"/> on the frame path.
/// </summary>
public static class FrameRate
{
    /// <summary>The smallest rate accepted anywhere: one frame per 1,000 s (about 17 minutes).</summary>
    public const double Minimum = 0.001;

    /// <summary>The largest rate accepted anywhere.</summary>
    public const double Maximum = 1000;

    /// <summary>The range as operators read it.</summary>
    public const string RangeText = "0.001 to 1000";

    /// <summary>True when <paramref name="framesPerSecond"/> is a number from <see cref="Minimum"/> to <see cref="Maximum"/>.</summary>
    public static bool IsValid(double framesPerSecond) => framesPerSecond is >= Minimum and <= Maximum;

    /// <summary>
    /// How long <paramref name="frames"/> frames last at <paramref name="framesPerSecond"/>; saturates at
    /// <see cref="TimeSpan.MaxValue"/> (and a rate that is not positive gives <see cref="TimeSpan.Zero"/>, no pacing)
    /// instead of throwing.
    /// </summary>
    public static TimeSpan Duration(double frames, double framesPerSecond)
    {
        if (!(framesPerSecond > 0) || !(frames > 0))
        {
            return TimeSpan.Zero;
        }

        var seconds = frames / framesPerSecond;

        // Compared in ticks: TimeSpan.FromSeconds rounds, so a value just under MaxValue's seconds can still overflow.
        var ticks = seconds * TimeSpan.TicksPerSecond;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// True when <paramref name="elapsed"/> is at least one frame period at <paramref name="framesPerSecond"/>, without
    /// building a <see cref="TimeSpan"/> from the rate (so no rate can make it throw). A rate that is not positive
    /// means "no limit": always true.
    /// </summary>
    public static bool PeriodElapsed(TimeSpan elapsed, double framesPerSecond) =>
        !(framesPerSecond > 0) || elapsed.TotalSeconds * framesPerSecond >= 1;
}
