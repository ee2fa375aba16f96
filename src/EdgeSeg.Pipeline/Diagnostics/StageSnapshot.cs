namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>One stage's counters at a moment.</summary>
/// <param name="Name">capture, inference, analysis or publish.</param>
/// <param name="Frames">Frames through the stage.</param>
/// <param name="Calls">Calls (batches for inference).</param>
/// <param name="Errors">Calls that threw (their frames were released unpublished).</param>
/// <param name="TotalTime">Time spent in the stage's calls.</param>
/// <param name="MeanTime">Mean time per call.</param>
/// <param name="LastTime">The last call's time.</param>
/// <param name="MaxTime">The slowest call.</param>
/// <param name="QueueDepth">Frames waiting for the stage now (for capture: all sources' queues).</param>
/// <param name="QueueCapacity">The queue's bound.</param>
public sealed record StageSnapshot(string Name, long Frames, long Calls, long Errors, TimeSpan TotalTime, TimeSpan MeanTime, TimeSpan LastTime, TimeSpan MaxTime, int QueueDepth, int QueueCapacity);
