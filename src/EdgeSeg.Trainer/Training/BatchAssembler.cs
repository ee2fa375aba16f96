using EdgeSeg.Trainer.Augmentation;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Trainer.Training;

/// <summary>
/// Builds training batches: each sample augmented to a crop on its own thread (seeded per sample, so a batch is the
/// same for any thread count), then normalised into the NCHW input tensor; labels are the crops' label codes.
/// </summary>
internal sealed class BatchAssembler
{
    private readonly Augmenter _augmenter;
    private readonly IReadOnlyList<float> _mean;
    private readonly IReadOnlyList<float> _std;
    private readonly int _threads;

    /// <summary>Creates the assembler.</summary>
    public BatchAssembler(Augmenter augmenter, IReadOnlyList<float> mean, IReadOnlyList<float> std, int threads)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        _augmenter = augmenter;
        _mean = mean;
        _std = std;
        _threads = threads;
    }

    /// <summary>Input [N, 3, crop height, crop width] and N crops of labels for <paramref name="samples"/>.</summary>
    /// <param name="samples">The batch's samples.</param>
    /// <param name="seeds">One augmentation seed per sample.</param>
    public (Tensor Input, byte[] Labels) Build(IReadOnlyList<Sample> samples, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(seeds);
        var w = _augmenter.CropWidth;
        var h = _augmenter.CropHeight;
        var plane = w * h;
        var input = new Tensor(samples.Count, 3, h, w);
        var labels = new byte[samples.Count * plane];
        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
        {
            var crop = new byte[plane * 3];
            var parameters = _augmenter.Draw(new Random(seeds[i]));
            _augmenter.Apply(samples[i], parameters, crop, labels.AsSpan(i * plane, plane));
            InputTensors.Normalize(crop, input.Data.Slice(i * 3 * plane, 3 * plane), w, h, _mean, _std);
        });
        return (input, labels);
    }

    /// <summary>Input [N, 3, H, W] of whole samples (all the same size), unaugmented, for validation.</summary>
    public static Tensor Whole(IReadOnlyList<Sample> samples, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var w = samples[0].Width;
        var h = samples[0].Height;
        var plane = w * h;
        var input = new Tensor(samples.Count, 3, h, w);
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].Width != w || samples[i].Height != h)
            {
                throw new ArgumentException("Samples of one batch must have one size.", nameof(samples));
            }

            InputTensors.Normalize(samples[i].Image.Pixels, input.Data.Slice(i * 3 * plane, 3 * plane), w, h, mean, std);
        }

        return input;
    }
}
