using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Inference;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The last sink of every frame: counts it as completed (the heartbeat that feeds the systemd watchdog), records the
/// capture-to-publish latency, and renders the snapshot overlay when someone asked for one. Called by one pipeline
/// task at a time.
/// </summary>
internal sealed class TelemetrySink(ServiceMetrics metrics, FrameHeartbeat heartbeat, SnapshotStore snapshots, int jpegQuality) : IFrameSink
{
    private const float OverlayAlpha = 0.5f;
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

        if (snapshots.IsWanted(frame.SourceId) && frame.Result is SegmentationResult segmentation)
        {
            // Only on request: a blend and a JPEG encode cost more than the rest of this sink by far.
            var overlay = new ImageBuffer(frame.Image.Width, frame.Image.Height, 3);
            OverlayRenderer.Render(frame.Image, segmentation.Mask, OverlayAlpha, overlay);
            snapshots.Offer(frame.SourceId, CvImage.Encode(overlay, ImageFormat.Jpeg, jpegQuality));
        }

        return ValueTask.CompletedTask;
    }
}
