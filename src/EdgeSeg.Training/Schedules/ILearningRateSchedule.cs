namespace EdgeSeg.Training.Schedules;

/// <summary>A learning rate as a function of the optimiser step (0-based). Implementations are immutable.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for step <paramref name="stepIndex"/>; steps past the end keep the final rate.</summary>
    double LearningRate(long stepIndex);
}
