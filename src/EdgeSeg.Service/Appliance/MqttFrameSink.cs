using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Timing;
using EdgeSeg.OpenCv;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Scene.Serialization;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Hosting;
using EdgeSeg.Service.Inference;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The pipeline's MQTT sink: hands each frame's mask, metrics JSON, events and (rate-limited) overlay to the
/// <see cref="Publishing.EdgeSegPublisher"/>'s queues, which never block. Payloads are copied out of the frame's pooled buffers
/// before return. With <c>--exit-when-done</c> it waits for each frame's mask to be sent, so no mask is replaced by a
/// newer one in the latest-only queue. Called by one pipeline task at a time.
/// </summary>
internal sealed class MqttFrameSink(MqttPublishingService mqtt, EdgeSegSettings settings, RunMode mode, ServiceHealth health, ServiceMetrics metrics)
    : IFlushableSink, IDisposable
{
    private readonly SceneEventJsonWriter _events = new();
    private readonly Dictionary<string, long> _lastOverlay = new(StringComparer.Ordinal);
    private readonly Counter _failedMask = metrics.MqttFailed.WithLabels("mask");
    private readonly Counter _failedMetrics = metrics.MqttFailed.WithLabels("metrics");
    private readonly Counter _failedEvents = metrics.MqttFailed.WithLabels("events");
    private readonly Dictionary<string, Histogram> _latency = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        if (!mqtt.Ready.IsCompleted)
        {
            await mqtt.Ready.WaitAsync(cancellationToken);
        }

        var publisher = mqtt.Publisher!;
        var start = Stopwatch.GetTimestamp();
        var streams = settings.Mqtt;
        if (streams.Mask.Enabled && frame.Result is SegmentationResult segmentation)
        {
            // False is the rate limit skipping the frame (counted by the publisher), not a failure.
            publisher.PublishMask(frame.SourceId, segmentation.Mask, frame.Index, new DateTimeOffset(frame.CapturedAtUtc), health.ModelName ?? "");
            if (streams.Overlay.Enabled && OverlayDue(frame.SourceId, streams.Overlay.MaxRate))
            {
                var overlay = new ImageBuffer(frame.Image.Width, frame.Image.Height, 3);
                OverlayRenderer.Render(frame.Image, segmentation.Mask, 0.5f, overlay);
                publisher.PublishOverlay(frame.SourceId, CvImage.Encode(overlay, ImageFormat.Jpeg, streams.Overlay.JpegQuality), frame.Index, force: true);
            }
        }
        else if (streams.Mask.Enabled)
        {
            _failedMask.Increment();
        }

        if (frame.Metrics is SceneResult scene)
        {
            // The queue keeps the payload beyond this call: copy it out of the pooled buffer.
            if (streams.Metrics.Enabled && !publisher.PublishMetrics(frame.SourceId, scene.MetricsJson.WrittenSpan.ToArray(), frame.Index)
                && publisher.MetricsOutbox.QueueDepth >= settings.Mqtt.OfflineQueueMaxMessages)
            {
                _failedMetrics.Increment();
            }

            if (streams.Events.Enabled)
            {
                foreach (var sceneEvent in scene.Events)
                {
                    if (!publisher.PublishEvent(frame.SourceId, _events.Write(sceneEvent, frame.SourceId).ToArray()))
                    {
                        _failedEvents.Increment();
                    }
                }
            }
        }

        if (mode.ExitWhenDone)
        {
            // Batch mode: every frame's mask must reach the broker, so the latest-only mask queue may not replace one
            // that is still waiting. Wait for it (back-pressure up the pipeline) instead.
            await publisher.MaskOutbox.FlushAsync(cancellationToken);
            await publisher.OverlayOutbox.FlushAsync(cancellationToken);
        }

        Latency(frame.SourceId).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <inheritdoc />
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var publisher = mqtt.Publisher;
        if (publisher is null)
        {
            return true;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(publisher.MetricsOutbox.FlushAsync(bounded.Token), publisher.EventsOutbox.FlushAsync(bounded.Token),
                publisher.MaskOutbox.FlushAsync(bounded.Token), publisher.OverlayOutbox.FlushAsync(bounded.Token));
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events.Dispose();

    private bool OverlayDue(string sourceId, double maxRate)
    {
        var now = Stopwatch.GetTimestamp();
        if (maxRate > 0 && _lastOverlay.TryGetValue(sourceId, out var last) && !FrameRate.PeriodElapsed(Stopwatch.GetElapsedTime(last, now), maxRate))
        {
            return false;
        }

        _lastOverlay[sourceId] = now;
        return true;
    }

    private Histogram Latency(string sourceId)
    {
        if (!_latency.TryGetValue(sourceId, out var histogram))
        {
            histogram = metrics.StageLatency.WithLabels(sourceId, "publish");
            _latency[sourceId] = histogram;
        }

        return histogram;
    }
}
