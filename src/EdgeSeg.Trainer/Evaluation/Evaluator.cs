using System.Threading.Channels;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>
/// Scores a deployed model on a dataset split through the service's own <see cref="Segmenter"/>, so the figures are
/// those of exactly what will run: same pre-processing, same up-sampling, same class mapping from the model card.
/// </summary>
internal static class Evaluator
{
    /// <summary>Segments every image of <paramref name="split"/> and scores it against its mask, with object recall by height.</summary>
    /// <param name="segmenter">The model; used from the calling thread only.</param>
    /// <param name="dataset">The dataset (check it with <see cref="DatasetLoader"/> first for a full problem list).</param>
    /// <param name="split">The split name.</param>
    /// <param name="progress">Receives the count of images done.</param>
    /// <param name="limit">Score only the first this many images of the split (null: all).</param>
    /// <param name="reference">
    /// A second model run on the same frames; the result then says on what share of pixels the masks are equal.
    /// </param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <exception cref="DatasetFormatException">A file is missing or a mask is not a valid mask of the dataset.</exception>
    public static async Task<EvaluationResult> RunAsync(
        Segmenter segmenter, Dataset dataset, string split, IProgress<int>? progress = null, int? limit = null, ReferenceModel? reference = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(dataset);
        var stems = dataset.ReadSplit(split).Take(limit ?? int.MaxValue).ToList();
        var scorer = new DatasetScorer(dataset.Description, split);
        var objects = new ObjectRecallCounter([.. dataset.Description.Unlabelled.Keys]);

        // Decoding runs one image ahead of inference; a small bound keeps memory flat on long splits.
        var decoded = Channel.CreateBounded<(string Stem, ImageBuffer Image, byte[] Truth)>(
            new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var stem in stems)
                    {
                        await decoded.Writer.WriteAsync(Decode(dataset, stem), cancellationToken);
                    }

                    decoded.Writer.Complete();
                }
                catch (Exception e) when (e is DatasetFormatException or OperationCanceledException)
                {
                    decoded.Writer.Complete(e);
                }
            },
            cancellationToken);

        Mask? prediction = null;
        Mask? referencePrediction = null;
        long compared = 0, equal = 0;
        var lowest = double.NaN;
        var done = 0;
        await foreach (var (_, image, truth) in decoded.Reader.ReadAllAsync(cancellationToken))
        {
            if (prediction is null || prediction.Width != image.Width || prediction.Height != image.Height)
            {
                prediction = new Mask(image.Width, image.Height);
            }

            segmenter.Segment(image, prediction);
            scorer.Add(truth, prediction.Pixels, image.Width);
            objects.Add(truth, prediction.Pixels, image.Width);
            if (reference is not null)
            {
                if (referencePrediction is null || referencePrediction.Width != image.Width || referencePrediction.Height != image.Height)
                {
                    referencePrediction = new Mask(image.Width, image.Height);
                }

                reference.Segmenter.Segment(image, referencePrediction);
                var same = CountEqual(prediction.Pixels, referencePrediction.Pixels);
                compared += prediction.Pixels.Length;
                equal += same;
                lowest = double.IsNaN(lowest) ? (double)same / prediction.Pixels.Length : Math.Min(lowest, (double)same / prediction.Pixels.Length);
            }

            progress?.Report(++done);
        }

        await producer;
        return scorer.Result() with
        {
            Objects = objects.Result(),
            Agreement = reference is null ? null : new MaskAgreement(reference.Path, compared, equal, lowest),
        };
    }

    private static long CountEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long same = 0;
        for (var i = 0; i < a.Length; i++)
        {
            same += a[i] == b[i] ? 1 : 0;
        }

        return same;
    }

    private static (string, ImageBuffer, byte[]) Decode(Dataset dataset, string stem)
    {
        var imagePath = dataset.ImagePath(stem);
        var maskPath = dataset.MaskPath(stem);
        try
        {
            var image = CvImage.Read(imagePath, ImageReadMode.Color);
            var mask = CvImage.Read(maskPath, ImageReadMode.Unchanged);
            if (mask.Channels != 1 || mask.Width != image.Width || mask.Height != image.Height)
            {
                throw new DatasetFormatException(
                    $"{maskPath}: a {mask.Width}x{mask.Height}x{mask.Channels} mask for a {image.Width}x{image.Height} image; "
                    + "masks are single-channel and the size of their image (run edgeseg-train check).");
            }

            var truth = mask.Pixels.ToArray();
            dataset.Description.Map.Apply(truth, truth, mask.Width);
            return (stem, image, truth);
        }
        catch (Exception e) when (e is FileNotFoundException or OpenCvException or InvalidMaskException)
        {
            throw new DatasetFormatException($"{stem} of {dataset.Name}: {e.Message}", e);
        }
    }
}
