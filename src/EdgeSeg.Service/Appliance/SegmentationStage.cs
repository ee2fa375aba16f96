using System.Collections.Concurrent;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's inference stage: runs the <see cref="Segmenter"/> on the frames and attaches a pooled
/// <see cref="SegmentationResult"/> to each, taken back when the frame is released. The pipeline calls
/// <see cref="ProcessAsync"/> from one task at a time. The segmenter can be replaced while frames flow
/// (<see cref="Swap"/>, for a model reload).
/// </summary>
/// <remarks>
/// <para>
/// With a batch size of 1 (and <c>Pipeline:OverlapInference</c> on) the model's outputs are decoded into the mask
/// in <see cref="Complete"/>, in the analysis stage, while the inference task already runs the next frame: each frame
/// gets its own <see cref="SegmentationSlot"/> (input and output tensors) from <see cref="ProcessAsync"/> to
/// <see cref="Complete"/>. At most <see cref="MaxSlots"/> frames hold one (their tensors are the memory cost); a frame
/// that finds none free is segmented whole, as without overlap. Pre-processing stays in the inference task: preparing
/// frames on their capture loops would tie a slot to every queued frame.
/// </para>
/// <para>
/// With a larger batch, <see cref="ProcessAsync"/> runs <see cref="Segmenter.SegmentBatch"/>: one model run per batch
/// of frames with the same input size. <see cref="MaxBatchSize"/> is the first segmenter's (<c>Pipeline:BatchSize</c>,
/// limited by the model's batch dimension) and stays for the pipeline's life; a reloaded model that takes fewer frames
/// per run splits the batch itself.
/// </para>
/// </remarks>
internal sealed class SegmentationStage(Segmenter segmenter, ServiceMetrics metrics, bool overlap = true) : IFrameProcessor, IDisposable
{
    // The batch handed to the segmenter, refilled per call (the pipeline never passes more than MaxBatchSize frames).
    private readonly ImageBuffer[] _images = new ImageBuffer[segmenter.MaxBatchSize];
    private readonly Mask[] _masks = new Mask[segmenter.MaxBatchSize];
    private readonly float[]?[] _confidences = new float[]?[segmenter.MaxBatchSize];
    private readonly SegmentationResult[] _results = new SegmentationResult[segmenter.MaxBatchSize];

    // The decode beside the next frame's run: one frame per run only (a batch is stacked into one tensor).
    private readonly bool _overlap = overlap && segmenter.MaxBatchSize == 1;

    // Read once per frame, so a frame never mixes two models; written only by Swap.
    private volatile Segmenter _current = segmenter;

    // Replaced segmenters wait here until no frame can use them: none is in the inference task's hands (it disposes
    // them when it next comes round) and none of their slots is out. Disposed then, or by Dispose.
    private readonly ConcurrentQueue<Segmenter> _retired = new();

    // Results by frame size: a handful of sizes at most (one per source resolution). Rented by the inference task,
    // returned wherever frames are released.
    private readonly ConcurrentDictionary<(int Width, int Height), ConcurrentBag<SegmentationResult>> _pool = new();
    private readonly Dictionary<string, (Histogram Pre, Histogram Run, Histogram Post)> _latency = new(StringComparer.Ordinal);

    /// <summary>Most frames between their model run and their decode at once (each holds a slot's tensors).</summary>
    public const int MaxSlots = 3;

    /// <inheritdoc />
    public int MaxBatchSize => _results.Length;

    /// <summary>Whether post-processing runs in the analysis stage, beside the next frame's model run (see the remarks).</summary>
    public bool Overlaps => _overlap;

    /// <inheritdoc />
    /// <remarks>
    /// With overlap, a frame is pre-processed and run here and decoded in <see cref="Complete"/>. Otherwise each
    /// frame of a batch observes the whole batch's pre-processing, run and post-processing times: that is how long the
    /// stage held it.
    /// </remarks>
    public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken)
    {
        DisposeRetired();
        cancellationToken.ThrowIfCancellationRequested();
        var frames = batch.Span;
        if (_overlap && RunLeavingDecode(frames[0]))
        {
            return ValueTask.CompletedTask;
        }

        var count = frames.Length;
        for (var i = 0; i < count; i++)
        {
            var image = frames[i].Image;
            var result = Rent(image.Width, image.Height);
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
            _results[i].Timings = timings;
            frames[i].Result = _results[i];
            _results[i] = null!;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Decodes a prepared frame's outputs into its mask and confidence, and records the frame's stage times.</remarks>
    public void Complete(Frame frame)
    {
        if (frame.Result is not SegmentationResult result)
        {
            return;
        }

        if (result.Slot is { } slot)
        {
            result.Slot = null;
            try
            {
                slot.Owner.Decode(slot, result.Mask, result.Confidence);
                result.Timings = slot.Timings;
            }
            finally
            {
                slot.Owner.ReturnSlot(slot);
            }
        }

        var (pre, run, post) = Latency(frame.SourceId);
        pre.Observe(result.Timings.Preprocess.TotalSeconds);
        run.Observe(result.Timings.Inference.TotalSeconds);
        post.Observe(result.Timings.Postprocess.TotalSeconds);
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
        while (_retired.TryDequeue(out var old))
        {
            old.Dispose();
        }

        _current.Dispose();
    }

    /// <inheritdoc />
    public void OnFrameReleased(Frame frame)
    {
        if (frame.Result is SegmentationResult result)
        {
            frame.Result = null;
            if (result.Slot is { } slot)
            {
                // Released before it was decoded (a failure in the analysis stage, a stop).
                result.Slot = null;
                slot.Owner.ReturnSlot(slot);
            }

            Return(result);
        }
    }

    /// <summary>Pre-processes and runs <paramref name="frame"/> in a slot of its own, leaving the decode to <see cref="Complete"/>; false when no slot is free.</summary>
    private bool RunLeavingDecode(Frame frame)
    {
        // Read once per frame, so a frame never mixes two models. Only this task rents slots, so the count can only
        // fall between the check and the rent.
        var current = _current;
        if (current.OutstandingSlots >= MaxSlots)
        {
            return false;
        }

        var image = frame.Image;
        var slot = current.RentSlot(image.Width, image.Height);
        try
        {
            current.Prepare(slot, image);
            current.Run(slot);
        }
        catch
        {
            current.ReturnSlot(slot);
            throw;
        }

        var result = Rent(image.Width, image.Height);
        result.Slot = slot;
        frame.Result = result;
        return true;
    }

    private SegmentationResult Rent(int width, int height)
    {
        var bag = _pool.GetOrAdd((width, height), static _ => []);
        return bag.TryTake(out var result) ? result : new SegmentationResult(width, height);
    }

    private void Return(SegmentationResult result) => _pool.GetOrAdd((result.Mask.Width, result.Mask.Height), static _ => []).Add(result);

    /// <summary>Disposes the replaced segmenters that no slot is out of; the others wait for a later turn.</summary>
    private void DisposeRetired()
    {
        for (var n = _retired.Count; n > 0 && _retired.TryDequeue(out var old); n--)
        {
            if (old.OutstandingSlots == 0)
            {
                old.Dispose();
            }
            else
            {
                _retired.Enqueue(old);
            }
        }
    }

    private (Histogram, Histogram, Histogram) Latency(string sourceId)
    {
        // Only the analysis task calls this: a plain dictionary, filled once per source.
        if (!_latency.TryGetValue(sourceId, out var children))
        {
            children = (metrics.StageLatency.WithLabels(sourceId, "preprocess"), metrics.StageLatency.WithLabels(sourceId, "inference"),
                metrics.StageLatency.WithLabels(sourceId, "postprocess"));
            _latency[sourceId] = children;
        }

        return children;
    }
}
