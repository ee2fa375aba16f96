namespace EdgeSeg.Trainer.Evaluation;

/// <summary>Recall of one object class (vehicle or pedestrian) by the height of its regions in the ground truth.</summary>
/// <param name="Name">The class's wire name.</param>
/// <param name="Bands">The height bands, shortest first.</param>
internal sealed record ObjectRecall(string Name, IReadOnlyList<ObjectRecallBand> Bands);
