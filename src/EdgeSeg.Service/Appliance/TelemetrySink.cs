using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The last sink of every frame: counts it as completed (the heartbeat that feeds the systemd watchdog), records the
/// capture-to-publish latency, and hands the frame to the snapshot store, which renders an overlay only when someone
/// asked for one. Called by one pipeline task at a time.
/// </summary>
internal sealed class TelemetrySink(ServiceMetrics metrics, FrameHeartbeat heartbeat, SnapshotStore snapshots, int jpegQuality) : IFrameSink
{
    private readonly Dictionary<string, (Histogram Total, Counter Completed)> _children = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        if (!_children.TryGetValue(frame.SourceId, out var children))
        {
            children = (metrics.StageLatency.WithLabels(frame.SourceId, "total"), metrics.FramesPublished.WithLabels(frame.SourceId));
            _children[frame.SourceId] = children;
        }

        children.Total.Observe(frame.Age.TotalSeconds);
        children.Completed.Increment();
        heartbeat.Beat();

        if (frame.Result is SegmentationResult segmentation)
        {
            // Only on request (a snapshot or an open live page), and off the frame path: when someone waits, the frame
            // and mask are copied and blended and encoded on the thread pool.
            snapshots.Capture(frame.SourceId, frame.Image, segmentation.Mask, jpegQuality);
        }

        return ValueTask.CompletedTask;
    }
}
