using System.Collections.Concurrent;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's inference stage: runs the <see cref="Segmenter"/> on each batch of frames (one model run per batch
/// of frames with the same input size, <see cref="Segmenter.SegmentBatch"/>) and attaches a pooled
/// <see cref="SegmentationResult"/> to each frame, taken back when the frame is released. The pipeline calls it from
/// one task at a time. The segmenter can be replaced while frames flow (<see cref="Swap"/>, for a model reload).
/// </summary>
/// <remarks>
/// <see cref="MaxBatchSize"/> is the first segmenter's (<c>Pipeline:BatchSize</c>, limited by the model's batch
/// dimension) and stays for the pipeline's life; a reloaded model that takes fewer frames per run splits the batch itself.
/// </remarks>
internal sealed class SegmentationStage(Segmenter segmenter, ServiceMetrics metrics) : IFrameProcessor, IDisposable
{
    // The batch handed to the segmenter, refilled per call (the pipeline never passes more than MaxBatchSize frames).
    private readonly ImageBuffer[] _images = new ImageBuffer[segmenter.MaxBatchSize];
    private readonly Mask[] _masks = new Mask[segmenter.MaxBatchSize];
    private readonly float[]?[] _confidences = new float[]?[segmenter.MaxBatchSize];
    private readonly SegmentationResult[] _results = new SegmentationResult[segmenter.MaxBatchSize];

    // Read once per frame, so a frame never mixes two models; written only by Swap.
    private volatile Segmenter _current = segmenter;

    // Replaced segmenters wait here until the inference task, the only user of a segmenter, next comes round: by then
    // the frame that was using one has finished with it. Disposed there, or by Dispose when no frame comes again.
    private readonly ConcurrentQueue<Segmenter> _retired = new();

    // Results by frame size: a handful of sizes at most (one per source resolution).
    private readonly ConcurrentDictionary<(int Width, int Height), ConcurrentBag<SegmentationResult>> _pool = new();
    private readonly Dictionary<string, (Histogram Pre, Histogram Run, Histogram Post)> _latency = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public int MaxBatchSize => _results.Length;

    /// <inheritdoc />
    /// <remarks>
    /// Each frame of a batch observes the whole batch's pre-processing, run and post-processing times: that is how
    /// long the stage held it.
    /// </remarks>
    public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
    {
        DisposeRetired();
        cancellationToken.ThrowIfCancellationRequested();
        var frames = batch.Span;
        var count = frames.Length;
        for (var i = 0; i < count; i++)
        {
            var image = frames[i].Image;
            var bag = _pool.GetOrAdd((image.Width, image.Height), static _ => []);
            if (!bag.TryTake(out var result))
            {
                result = new SegmentationResult(image.Width, image.Height);
            }

            (_images[i], _masks[i], _confidences[i], _results[i]) = (image, result.Mask, result.Confidence, result);
        }

        // Read once per batch, so a batch never mixes two models.
        var current = _current;
        try
        {
            current.SegmentBatch(_images.AsSpan(0, count), _masks.AsSpan(0, count), _confidences.AsSpan(0, count));
        }
        catch
        {
            for (var i = 0; i < count; i++)
            {
                Return(_results[i]);
            }

            throw;
        }
        finally
        {
            // Drop the references to pooled pixels and results until the next batch.
            Array.Clear(_images, 0, count);
            Array.Clear(_masks, 0, count);
            Array.Clear(_confidences, 0, count);
        }

        var timings = current.LastTimings;
        for (var i = 0; i < count; i++)
        {
            var frame = frames[i];
            frame.Result = _results[i];
            _results[i] = null!;
            var (pre, run, post) = Latency(frame.SourceId);
            pre.Observe(timings.Preprocess.TotalSeconds);
            run.Observe(timings.Inference.TotalSeconds);
            post.Observe(timings.Postprocess.TotalSeconds);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The segmenter frames are run through now.</summary>
    public Segmenter Current => _current;

    /// <summary>
    /// Runs every later frame through <paramref name="next"/> (the stage owns it from now on); the one it replaces
    /// is disposed once no frame can be using it.
    /// </summary>
    public void Swap(Segmenter next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _retired.Enqueue(Interlocked.Exchange(ref _current, next));
    }

    /// <summary>Disposes the current segmenter and any replaced one not yet disposed. Call after the pipeline stopped.</summary>
    public void Dispose()
    {
        DisposeRetired();
        _current.Dispose();
    }

    /// <inheritdoc />
    public void OnFrameReleased(Frame frame)
    {
        if (frame.Result is SegmentationResult result)
        {
            frame.Result = null;
            Return(result);
        }
    }

    private void Return(SegmentationResult result) => _pool.GetOrAdd((result.Mask.Width, result.Mask.Height), static _ => []).Add(result);

    private void DisposeRetired()
    {
        while (_retired.TryDequeue(out var old))
        {
            old.Dispose();
        }
    }

    private (Histogram, Histogram, Histogram) Latency(string sourceId)
    {
        // Only the inference task calls this: a plain dictionary, filled once per source.
        if (!_latency.TryGetValue(sourceId, out var children))
        {
            children = (metrics.StageLatency.WithLabels(sourceId, "preprocess"), metrics.StageLatency.WithLabels(sourceId, "inference"),
                metrics.StageLatency.WithLabels(sourceId, "postprocess"));
            _latency[sourceId] = children;
        }

        return children;
    }
}
