using EdgeSeg.Mqtt;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Publishing;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// <see cref="IBrokerLink"/> over the client's session (<see cref="MqttClient.Session"/>: connected means a working
/// session) and the metrics and events outboxes' counters and state. The one place that reads them for health.
/// </summary>
internal sealed class PublisherBrokerLink(MqttClient client, EdgeSegPublisher publisher) : IBrokerLink
{
    /// <inheritdoc />
    public bool Connected => client.Session.State == MqttSessionState.Connected;

    /// <inheritdoc />
    public string? QueueRefusal =>
        !publisher.MetricsOutbox.IsAccepting ? publisher.MetricsOutbox.LastStoreError ?? "not accepting"
        : !publisher.EventsOutbox.IsAccepting ? publisher.EventsOutbox.LastStoreError ?? "not accepting"
        : null;

    /// <inheritdoc />
    public long Acknowledged => publisher.MetricsOutbox.DeliveredCount + publisher.EventsOutbox.DeliveredCount;

    /// <inheritdoc />
    public long Refused => publisher.MetricsOutbox.DroppedCount + publisher.EventsOutbox.DroppedCount;

    /// <inheritdoc />
    public long Waiting => publisher.MetricsOutbox.QueueDepth + publisher.EventsOutbox.QueueDepth;
}
