namespace EdgeSeg.Pipeline.Supervision;

/// <summary>Exponential backoff with jitter for reconnecting live sources.</summary>
/// <param name="Initial">The first delay.</param>
/// <param name="Max">The largest delay.</param>
/// <param name="Jitter">The fraction (0..1) by which each delay is randomly shortened, so sources that failed
/// together (a switch rebooting) do not reconnect in lockstep.</param>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max, double Jitter)
{
    /// <summary>0.5 s doubling to 30 s, 20 % jitter.</summary>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 0.2);

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var exponential = Initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, Max.TotalMilliseconds);
        var jittered = capped * (1 - (Math.Clamp(Jitter, 0, 1) * random.NextDouble()));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
