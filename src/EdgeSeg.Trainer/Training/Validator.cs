using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Evaluation;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Evaluation;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Trainer.Training;

/// <summary>
/// Per-epoch validation with the engine itself (eval mode, no gradients) on the cached validation samples at the
/// training size: per validation dataset a <see cref="DatasetScorer"/>, so unlabelled classes are handled as in
/// <c>eval</c>. The run's mIoU is the mean of the datasets' mIoUs; per-class IoU comes from their summed matrices.
/// </summary>
internal sealed class Validator
{
    private readonly IReadOnlyList<(DatasetDescription Description, IReadOnlyList<Sample> Samples)> _sets;
    private readonly LabelSpace _space;
    private readonly TrainOptions _options;

    /// <summary>Creates the validator over the validation sets.</summary>
    public Validator(IReadOnlyList<(DatasetDescription Description, IReadOnlyList<Sample> Samples)> sets, LabelSpace space, TrainOptions options)
    {
        _sets = sets;
        _space = space;
        _options = options;
    }

    /// <summary>Validation frames over all sets.</summary>
    public int Count => _sets.Sum(s => s.Samples.Count);

    /// <summary>Scores <paramref name="model"/>; <paramref name="predictions"/>, when given, receives each sample's prediction.</summary>
    public (double MeanIoU, double[] ClassIoU, IReadOnlyList<EvaluationResult> PerDataset) Run(
        SegmentationNetwork model, IDictionary<Sample, byte[]>? predictions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Eval();
        var results = new List<EvaluationResult>();
        var total = new ConfusionMatrix(ApplianceClasses.Count, LabelSpace.Ignore);
        using (Autograd.NoGrad())
        {
            foreach (var (description, samples) in _sets)
            {
                var scorer = new DatasetScorer(description, "val");
                for (var start = 0; start < samples.Count; start += _options.Batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = samples.Skip(start).Take(_options.Batch).ToList();
                    var logits = model.Forward(BatchAssembler.Whole(batch, _options.Mean, _options.Std));
                    var plane = batch[0].Width * batch[0].Height;
                    var predicted = new byte[batch.Count * plane];
                    InputTensors.Argmax(logits, predicted);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var prediction = predicted.AsSpan(i * plane, plane);
                        scorer.Add(TruthOf(batch[i]), prediction, batch[i].Width);
                        predictions?.Add(batch[i], prediction.ToArray());
                    }
                }

                results.Add(scorer.Result());
                total.Add(scorer.Matrix);
            }
        }

        model.Train();
        var valid = results.Select(r => r.MeanIoU).Where(double.IsFinite).ToList();
        var classIoU = Enumerable.Range(0, ApplianceClasses.Count).Select(total.IoU).ToArray();
        return (valid.Count == 0 ? double.NaN : valid.Average(), classIoU, results);
    }

    /// <summary>The ground truth of a sample in appliance classes: a partial label counts as its carrier.</summary>
    public byte[] TruthOf(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var truth = new byte[sample.Labels.Length];
        for (var i = 0; i < truth.Length; i++)
        {
            var code = sample.Labels[i];
            truth[i] = code == LabelSpace.Ignore ? LabelSpace.Ignore : (byte)_space.PrimaryClass(code);
        }

        return truth;
    }
}
