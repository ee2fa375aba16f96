using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;

namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>One source's counters at a moment.</summary>
/// <param name="Id">The source id.</param>
/// <param name="Uri">What it reads.</param>
/// <param name="Kind">File, stream, camera or image folder.</param>
/// <param name="State">Its capture loop's state.</param>
/// <param name="LastError">The reason of the last stop or failure, if any.</param>
/// <param name="Captured">Frames read from the source.</param>
/// <param name="Dropped">Frames dropped from its queue because the pipeline was behind (live sources only).</param>
/// <param name="Failed">Frames released unpublished because a stage threw.</param>
/// <param name="Published">Frames that went through every sink.</param>
/// <param name="DroppedAtStop">
/// Frames captured but released unpublished because a stop passed its drain bound (cancelled in a stage or still
/// queued). After a stop: Captured = Published + Dropped + Failed + DroppedAtStop.
/// </param>
/// <param name="QueueDepth">Frames in its capture queue now.</param>
/// <param name="QueueCapacity">Its capture queue's bound.</param>
/// <param name="CaptureFps">Capture rate (exponentially smoothed over about 30 frames; while no frame comes, one frame over the time since the last).</param>
/// <param name="PublishFps">Publish rate (smoothed likewise).</param>
/// <param name="LastLatency">Capture to published, for the last frame.</param>
/// <param name="MaxLatency">Capture to published, the largest seen.</param>
/// <param name="OpenAttempts">Opens tried (1 for a source that never failed).</param>
/// <param name="Reconnects">Times it came back after a failure.</param>
/// <param name="LastGap">Time without frames around the last reconnect.</param>
/// <param name="LongestGap">The longest time without frames around a reconnect.</param>
public sealed record SourceSnapshot(
    string Id,
    string Uri,
    FrameSourceKind Kind,
    SourceState State,
    string? LastError,
    long Captured,
    long Dropped,
    long Failed,
    long Published,
    long DroppedAtStop,
    int QueueDepth,
    int QueueCapacity,
    double CaptureFps,
    double PublishFps,
    TimeSpan LastLatency,
    TimeSpan MaxLatency,
    long OpenAttempts,
    long Reconnects,
    TimeSpan LastGap,
    TimeSpan LongestGap)
{
    /// <summary>Frames the source passed over because they could not be read (an image folder's corrupt image), without ending.</summary>
    public long Skipped { get; init; }

    /// <summary>Why the last frame counted in <see cref="Failed"/> failed (the stage and the error), or null.</summary>
    public string? LastFailure { get; init; }
}
