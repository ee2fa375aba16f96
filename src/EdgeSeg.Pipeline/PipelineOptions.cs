using EdgeSeg.Pipeline.Supervision;

namespace EdgeSeg.Pipeline;

/// <summary>Queue sizes, batching, shutdown and reconnect settings of a <see cref="FramePipeline"/>.</summary>
public sealed record PipelineOptions
{
    /// <summary>Frames queued per live source before the oldest is dropped (default 2: never queue stale video).</summary>
    public int LiveQueueCapacity { get; init; } = 2;

    /// <summary>Frames queued per file source before its capture waits (default 4).</summary>
    public int FileQueueCapacity { get; init; } = 4;

    /// <summary>Frames queued between inference, post-processing and publishing (default 4).</summary>
    public int StageQueueCapacity { get; init; } = 4;

    /// <summary>
    /// How long a partial inference batch waits for more frames. Null (default): half the frame interval of the fastest
    /// source, clamped to 1..50 ms. Ignored when the processor takes one frame at a time. A batch waits only for frames
    /// of open sources that have none in it yet, so one source alone never waits (it batches what is already queued).
    /// </summary>
    public TimeSpan? BatchTimeout { get; init; }

    /// <summary>
    /// How long <see cref="FramePipeline.StopAsync"/> lets in-flight frames drain before cancelling the stages (default
    /// 5 s; 0 to 1 day). Frames still in flight then are released and counted as dropped at stop.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnect delays for live sources.</summary>
    public Backoff Reconnect { get; init; } = Backoff.Default;
}
