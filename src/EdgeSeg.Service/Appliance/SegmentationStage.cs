using System.Collections.Concurrent;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's inference stage: runs the <see cref="Segmenter"/> on each frame and attaches a pooled
/// <see cref="SegmentationResult"/>, taken back when the frame is released. One frame per call (the segmenter sizes
/// its tensors per frame size); the pipeline calls it from one task at a time. The segmenter can be replaced while
/// frames flow (<see cref="Swap"/>, for a model reload).
/// </summary>
internal sealed class SegmentationStage(Segmenter segmenter, ServiceMetrics metrics) : IFrameProcessor, IDisposable
{
    // Read once per frame, so a frame never mixes two models; written only by Swap.
    private volatile Segmenter _current = segmenter;

    // Replaced segmenters wait here until the inference task, the only user of a segmenter, next comes round: by then
    // the frame that was using one has finished with it. Disposed there, or by Dispose when no frame comes again.
    private readonly ConcurrentQueue<Segmenter> _retired = new();

    // Results by frame size: a handful of sizes at most (one per source resolution).
    private readonly ConcurrentDictionary<(int Width, int Height), ConcurrentBag<SegmentationResult>> _pool = new();
    private readonly Dictionary<string, (Histogram Pre, Histogram Run, Histogram Post)> _latency = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public int MaxBatchSize => 1;

    /// <inheritdoc />
    public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
    {
        DisposeRetired();
        foreach (var frame in batch.Span)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = frame.Image;
            var bag = _pool.GetOrAdd((image.Width, image.Height), static _ => []);
            if (!bag.TryTake(out var result))
            {
                result = new SegmentationResult(image.Width, image.Height);
            }

            var current = _current;
            try
            {
                current.Segment(image, result.Mask, result.Confidence);
            }
            catch
            {
                bag.Add(result);
                throw;
            }

            frame.Result = result;
            var (pre, run, post) = Latency(frame.SourceId);
            var timings = current.LastTimings;
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
            _pool.GetOrAdd((result.Mask.Width, result.Mask.Height), static _ => []).Add(result);
        }
    }

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
