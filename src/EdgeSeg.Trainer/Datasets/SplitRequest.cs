namespace EdgeSeg.Trainer.Datasets;

/// <summary>One split of one dataset to check or load.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="DatasetIndex">Its index among the run's datasets (stored in each <see cref="Sample"/>).</param>
/// <param name="Split">The split name (<c>train</c>, <c>val</c>, <c>test</c>).</param>
/// <param name="Limit">Read only the first this many stems of the split (null: all).</param>
internal sealed record SplitRequest(Dataset Dataset, int DatasetIndex, string Split, int? Limit = null);
