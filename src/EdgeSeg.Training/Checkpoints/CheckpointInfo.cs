namespace EdgeSeg.Training.Checkpoints;

/// <summary>What <see cref="Checkpoint.Load"/> found besides the tensors.</summary>
/// <param name="Epoch">The epoch saved.</param>
/// <param name="Metadata">All <c>__metadata__</c> entries.</param>
public sealed record CheckpointInfo(int Epoch, IReadOnlyDictionary<string, string> Metadata);
