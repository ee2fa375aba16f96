namespace EdgeSeg.Trainer.Evaluation;

/// <summary>The scores of one appliance class.</summary>
/// <param name="Name">The class's wire name.</param>
/// <param name="IoU">Intersection over union; NaN when absent from truth and prediction.</param>
/// <param name="Precision">TP / predicted; NaN when never predicted.</param>
/// <param name="Recall">TP / truth; NaN when never in the truth.</param>
/// <param name="Pixels">Ground-truth pixels of the class.</param>
/// <param name="Labelled">False when the dataset does not label the class (it is then left out of the mIoU).</param>
internal sealed record ClassEvaluation(string Name, double IoU, double Precision, double Recall, long Pixels, bool Labelled);
