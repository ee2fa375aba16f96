using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Evaluation;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>
/// Accumulates predictions against one dataset's ground truth. A prediction of a class the dataset does not label
/// counts as the class carrying its label (a lane-marking prediction on CamVid is scored as road), and such classes
/// are left out of the mIoU. Not thread-safe.
/// </summary>
internal sealed class DatasetScorer
{
    private readonly byte[] _predictionMap = new byte[256];
    private readonly ConfusionMatrix _matrix = new(ApplianceClasses.Count, LabelSpace.Ignore);
    private byte[] _remapped = [];

    /// <summary>Creates a scorer for a dataset described by <paramref name="description"/>.</summary>
    public DatasetScorer(DatasetDescription description, string split)
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
        Split = split;
        for (var v = 0; v < 256; v++)
        {
            _predictionMap[v] = (byte)v;
        }

        foreach (var (unlabelled, carrier) in description.Unlabelled)
        {
            _predictionMap[(int)unlabelled] = (byte)carrier;
        }
    }

    /// <summary>The dataset.</summary>
    public DatasetDescription Description { get; }

    /// <summary>The split scored.</summary>
    public string Split { get; }

    /// <summary>Images added.</summary>
    public int Images { get; private set; }

    /// <summary>The accumulated matrix (predictions already remapped).</summary>
    public ConfusionMatrix Matrix => _matrix;

    /// <summary>
    /// Adds one image: <paramref name="truth"/> holds appliance classes or <see cref="LabelSpace.Ignore"/> (the
    /// dataset's mask through its class map), <paramref name="predicted"/> appliance classes.
    /// </summary>
    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, int width)
    {
        if (_remapped.Length < predicted.Length)
        {
            _remapped = new byte[predicted.Length];
        }

        var remapped = _remapped.AsSpan(0, predicted.Length);
        for (var i = 0; i < predicted.Length; i++)
        {
            remapped[i] = _predictionMap[predicted[i]];
        }

        _matrix.Accumulate(truth, remapped, width);
        Images++;
    }

    /// <summary>The scores so far.</summary>
    public EvaluationResult Result() => EvaluationResult.From(Description.Name, Split, Images, _matrix, [.. Description.Unlabelled.Keys]);
}
