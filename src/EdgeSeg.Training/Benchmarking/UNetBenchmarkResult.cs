namespace EdgeSeg.Training.Benchmarking;

/// <summary>Median milliseconds of each phase of a training step, and the resulting throughput.</summary>
/// <param name="ForwardMs">Forward pass with graph recording (training mode) and the loss.</param>
/// <param name="BackwardMs">Backward pass.</param>
/// <param name="StepMs">A whole step: zero grad, forward, loss, backward, SGD step.</param>
/// <param name="ImagesPerSecond">Batch / step time.</param>
/// <param name="AllocatedBytesPerStep">Managed bytes allocated by one whole step (median).</param>
/// <param name="StepCpuSeconds">Process CPU time of one whole step (median; all threads), robust to other load.</param>
public sealed record UNetBenchmarkResult(double ForwardMs, double BackwardMs, double StepMs, double ImagesPerSecond, long AllocatedBytesPerStep, double StepCpuSeconds);
