using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Evaluation;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>Scores of a model on one dataset split, derived from its confusion matrix. Immutable.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Split">The split evaluated.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="PixelAccuracy">Correct pixels over counted pixels.</param>
/// <param name="MeanIoU">Mean IoU over present classes the dataset labels.</param>
/// <param name="PerClass">Per appliance class, in index order.</param>
/// <param name="Confusion">Counts: <c>Confusion[truth][predicted]</c>.</param>
internal sealed record EvaluationResult(
    string Dataset,
    string Split,
    int Images,
    double PixelAccuracy,
    double MeanIoU,
    IReadOnlyList<ClassEvaluation> PerClass,
    IReadOnlyList<IReadOnlyList<long>> Confusion)
{
    /// <summary>Vehicle and pedestrian recall by object height, where the evaluation counted it (empty otherwise).</summary>
    public IReadOnlyList<ObjectRecall> Objects { get; init; } = [];

    /// <summary>Agreement with a reference model's masks, where one was given.</summary>
    public MaskAgreement? Agreement { get; init; }

    /// <summary>Derives the scores from <paramref name="matrix"/>, leaving <paramref name="unlabelled"/> out of the mIoU.</summary>
    public static EvaluationResult From(string dataset, string split, int images, ConfusionMatrix matrix, IReadOnlyCollection<ApplianceClass> unlabelled)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(unlabelled);
        var excluded = unlabelled.Select(c => (int)c).ToArray();
        var perClass = ApplianceClasses.All
            .Select(c => new ClassEvaluation(
                c.Name, matrix.IoU(c.Index), matrix.Precision(c.Index), matrix.Recall(c.Index), matrix.TruthCount(c.Index), !excluded.Contains(c.Index)))
            .ToList();
        var confusion = Enumerable.Range(0, matrix.ClassCount)
            .Select(t => (IReadOnlyList<long>)[.. Enumerable.Range(0, matrix.ClassCount).Select(p => matrix[t, p])])
            .ToList();
        return new EvaluationResult(dataset, split, images, matrix.PixelAccuracy, matrix.MeanIoUExcluding(excluded), perClass, confusion);
    }
}
