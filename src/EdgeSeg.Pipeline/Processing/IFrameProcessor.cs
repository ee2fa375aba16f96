using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Processing;

/// <summary>
/// The inference stage (the segmenter plugs in here). Called by one pipeline task at a time, with batches of frames
/// from any sources; frames of one source arrive in capture order.
/// </summary>
/// <remarks>
/// To keep the frame path allocation-free, complete synchronously or return a pooled <see cref="ValueTask"/>
/// (<c>[AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]</c>), and put results in pooled objects
/// attached to <see cref="Frame.Result"/>, taken back in <see cref="OnFrameReleased"/>.
/// </remarks>
public interface IFrameProcessor
{
    /// <summary>
    /// The most frames per call: 1 for a model without a batch dimension. Frames are batched across sources when it
    /// is larger; a partial batch waits at most the pipeline's batch timeout (derived from the sources' frame rates).
    /// </summary>
    int MaxBatchSize { get; }

    /// <summary>Processes <paramref name="batch"/> (1..<see cref="MaxBatchSize"/> frames, valid only during the call).</summary>
    /// <param name="batch">The frames; the memory is reused for the next batch.</param>
    /// <param name="cancellationToken">Cancelled when shutdown passes its drain bound.</param>
    ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Called by the analysis stage for each frame <see cref="ProcessAsync"/> succeeded on, before the analyzers: the
    /// per-frame work left after the model's run (post-processing) goes here, where it overlaps the model's run on
    /// later frames. Throwing counts the frame as failed in the analysis stage.
    /// </summary>
    void Complete(Frame frame)
    {
    }

    /// <summary>The frame is about to return to its pool: take back what was attached to it.</summary>
    void OnFrameReleased(Frame frame)
    {
    }
}
