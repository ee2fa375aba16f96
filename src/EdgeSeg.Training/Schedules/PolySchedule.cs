namespace EdgeSeg.Training.Schedules;

/// <summary>Polynomial decay: min + (base - min) * (1 - step/total)^power.</summary>
public sealed class PolySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public PolySchedule(double baseRate, long totalSteps, double power = 0.9, double minRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(power);
        BaseRate = baseRate;
        TotalSteps = totalSteps;
        Power = power;
        MinRate = minRate;
    }

    /// <summary>Rate at step 0.</summary>
    public double BaseRate { get; }

    /// <summary>Steps to reach <see cref="MinRate"/>.</summary>
    public long TotalSteps { get; }

    /// <summary>Exponent.</summary>
    public double Power { get; }

    /// <summary>Final rate.</summary>
    public double MinRate { get; }

    /// <inheritdoc />
    public double LearningRate(long stepIndex)
    {
        var t = Math.Clamp((double)stepIndex / TotalSteps, 0, 1);
        return MinRate + ((BaseRate - MinRate) * Math.Pow(1 - t, Power));
    }
}
