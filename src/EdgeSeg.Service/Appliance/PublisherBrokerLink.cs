using EdgeSeg.Mqtt;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Publishing;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// <see cref="IBrokerLink"/> over today's client state: <see cref="MqttClient.IsConnected"/> and the metrics and
/// events outboxes' counters. The one place that reads them for health: a richer session or queue state from the
/// client is wired in here.
/// </summary>
internal sealed class PublisherBrokerLink(MqttClient client, EdgeSegPublisher publisher) : IBrokerLink
{
    /// <inheritdoc />
    public bool Connected => client.IsConnected;

    /// <inheritdoc />
    public long Acknowledged => publisher.MetricsOutbox.DeliveredCount + publisher.EventsOutbox.DeliveredCount;

    /// <inheritdoc />
    public long Refused => publisher.MetricsOutbox.DroppedCount + publisher.EventsOutbox.DroppedCount;

    /// <inheritdoc />
    public long Waiting => publisher.MetricsOutbox.QueueDepth + publisher.EventsOutbox.QueueDepth;
}
