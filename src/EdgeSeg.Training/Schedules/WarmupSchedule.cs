namespace EdgeSeg.Training.Schedules;

/// <summary>
/// Linear warm-up in front of another schedule: for step &lt; warmup the rate rises linearly from
/// startFactor * inner(0) to inner(0); afterwards inner(step - warmup).
/// </summary>
public sealed class WarmupSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public WarmupSchedule(ILearningRateSchedule inner, long warmupSteps, double startFactor = 0.001)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (startFactor is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "startFactor must be in [0, 1].");
        }

        Inner = inner;
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
    }

    /// <summary>The schedule after warm-up.</summary>
    public ILearningRateSchedule Inner { get; }

    /// <summary>Warm-up length.</summary>
    public long WarmupSteps { get; }

    /// <summary>Fraction of the first rate at step 0.</summary>
    public double StartFactor { get; }

    /// <inheritdoc />
    public double LearningRate(long stepIndex)
    {
        if (stepIndex >= WarmupSteps)
        {
            return Inner.LearningRate(stepIndex - WarmupSteps);
        }

        var f = StartFactor + ((1 - StartFactor) * stepIndex / WarmupSteps);
        return f * Inner.LearningRate(0);
    }
}
