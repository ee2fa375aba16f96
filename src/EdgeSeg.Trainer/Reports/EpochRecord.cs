namespace EdgeSeg.Trainer.Reports;

/// <summary>What one training epoch measured.</summary>
/// <param name="Epoch">Epoch number, from 1.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="Seconds">Wall time of the epoch including validation.</param>
/// <param name="ValidationMeanIoU">Validation mIoU (mean over the validation datasets).</param>
/// <param name="ValidationIoU">Validation IoU per appliance class (NaN where absent).</param>
internal sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double LearningRate,
    double ImagesPerSecond,
    double Seconds,
    double ValidationMeanIoU,
    IReadOnlyList<double> ValidationIoU);
