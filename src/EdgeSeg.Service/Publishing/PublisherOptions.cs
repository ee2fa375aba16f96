using EdgeSeg.Core.Timing;
using EdgeSeg.Mqtt;

namespace EdgeSeg.Service.Publishing;

/// <summary>What <see cref="EdgeSegPublisher"/> publishes and how; mapped from the <c>Mqtt</c> configuration by the host.</summary>
internal sealed class PublisherOptions
{
    /// <summary>Topic prefix, e.g. <c>edgeseg/v1</c>.</summary>
    public string TopicPrefix { get; init; } = "edgeseg/v1";

    /// <summary>Device id: one topic level.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The source ids the service runs (listed in status; commands naming others are rejected).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Mask scale factor in (0, 1]: 1 publishes full frame size; 0.5 half width and height (nearest neighbour).</summary>
    public double MaskScale { get; init; } = 1;

    /// <summary>QoS of masks (0 by default).</summary>
    public MqttQualityOfService MaskQos { get; init; } = MqttQualityOfService.AtMostOnce;

    /// <summary>QoS of metrics and events (1 by default).</summary>
    public MqttQualityOfService TelemetryQos { get; init; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>QoS of overlays.</summary>
    public MqttQualityOfService OverlayQos { get; init; } = MqttQualityOfService.AtMostOnce;

    /// <summary>Initial largest rate per stream and source, frames per second; null for every frame.</summary>
    public double? MaskMaxRate { get; init; }

    /// <summary>Initial largest metrics rate per source (frames per second); null for every frame.</summary>
    public double? MetricsMaxRate { get; init; }

    /// <summary>Initial largest overlay rate per source (frames per second).</summary>
    public double? OverlayMaxRate { get; init; } = 1;

    /// <summary>How long a queued command (<c>snapshot</c>) may run before it is answered "did not finish".</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <c>reload-model</c> may run (a TensorRT engine build takes minutes) before it is answered "did not finish".</summary>
    public TimeSpan ReloadModelTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Folder of the on-disk queues of metrics and events.</summary>
    public required string QueueDirectory { get; init; }

    /// <summary>Largest number of queued metrics (and, separately, events) messages.</summary>
    public int MaxQueuedMessages { get; init; } = 100_000;

    /// <summary>Service version for the status message.</summary>
    public string Version { get; init; } = "0.0.0";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        TopicLayout.CheckLevel(DeviceId, nameof(DeviceId));
        foreach (var source in Sources)
        {
            TopicLayout.CheckLevel(source, nameof(Sources));
        }

        if (!(MaskScale > 0 && MaskScale <= 1))
        {
            throw new ArgumentException($"MaskScale {MaskScale} must be in (0, 1].", nameof(MaskScale));
        }

        foreach (var rate in new[] { MaskMaxRate, MetricsMaxRate, OverlayMaxRate })
        {
            if (rate is { } r && !FrameRate.IsValid(r))
            {
                throw new ArgumentException($"A stream rate of {r} fps is not from {FrameRate.RangeText}.", nameof(MaskMaxRate));
            }
        }

        if (CommandTimeout <= TimeSpan.Zero || ReloadModelTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Command timeouts must be positive (CommandTimeout {CommandTimeout}, ReloadModelTimeout {ReloadModelTimeout}).", nameof(CommandTimeout));
        }

        ArgumentException.ThrowIfNullOrEmpty(QueueDirectory);
    }
}
