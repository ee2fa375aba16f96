namespace EdgeSeg.Training.Schedules;

/// <summary>Cosine annealing: min + (base - min) * (1 + cos(pi * step/total)) / 2.</summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public CosineSchedule(double baseRate, long totalSteps, double minRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        BaseRate = baseRate;
        TotalSteps = totalSteps;
        MinRate = minRate;
    }

    /// <summary>Rate at step 0.</summary>
    public double BaseRate { get; }

    /// <summary>Steps to reach <see cref="MinRate"/>.</summary>
    public long TotalSteps { get; }

    /// <summary>Final rate.</summary>
    public double MinRate { get; }

    /// <inheritdoc />
    public double LearningRate(long stepIndex)
    {
        var t = Math.Clamp((double)stepIndex / TotalSteps, 0, 1);
        return MinRate + ((BaseRate - MinRate) * (1 + Math.Cos(Math.PI * t)) / 2);
    }
}
