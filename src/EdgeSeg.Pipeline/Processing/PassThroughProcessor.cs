using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Processing;

/// <summary>An inference stage that does nothing (capture-only pipelines, recording, benchmarks of the frame path).</summary>
public sealed class PassThroughProcessor : IFrameProcessor
{
    /// <summary>The shared instance.</summary>
    public static PassThroughProcessor Instance { get; } = new();

    /// <inheritdoc />
    public int MaxBatchSize => 1;

    /// <inheritdoc />
    public ValueTask ProcessAsync(ReadOnlyMemory<Frame> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
