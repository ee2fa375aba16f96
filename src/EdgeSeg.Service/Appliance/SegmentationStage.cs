using System.Collections.Concurrent;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's inference stage: runs the <see cref="Segmenter"/> on each frame and attaches a pooled
/// <see cref="SegmentationResult"/>, taken back when the frame is released. One frame per call (the segmenter sizes
/// its tensors per frame size); the pipeline calls it from one task at a time.
/// </summary>
internal sealed class SegmentationStage(Segmenter segmenter, ServiceMetrics metrics) : IFrameProcessor
{
    // Results by frame size: a handful of sizes at most (one per source resolution).
    private readonly ConcurrentDictionary<(int Width, int Height), ConcurrentBag<SegmentationResult>> _pool = new();
    private readonly Dictionary<string, (Histogram Pre, Histogram Run, Histogram Post)> _latency = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public int MaxBatchSize => 1;

    /// <inheritdoc />
    public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
    {
        foreach (var frame in batch.Span)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = frame.Image;
            var bag = _pool.GetOrAdd((image.Width, image.Height), static _ => []);
            if (!bag.TryTake(out var result))
            {
                result = new SegmentationResult(image.Width, image.Height);
            }

            try
            {
                segmenter.Segment(image, result.Mask, result.Confidence);
            }
            catch
            {
                bag.Add(result);
                throw;
            }

            frame.Result = result;
            var (pre, run, post) = Latency(frame.SourceId);
            var timings = segmenter.LastTimings;
            pre.Observe(timings.Preprocess.TotalSeconds);
            run.Observe(timings.Inference.TotalSeconds);
            post.Observe(timings.Postprocess.TotalSeconds);
        }

        return ValueTask.CompletedTask;
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
