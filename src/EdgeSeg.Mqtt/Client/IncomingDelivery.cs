using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Mqtt;

/// <summary>
/// A received PUBLISH on its way from the read loop to the delivery loop: the connection it came on (the
/// acknowledgement goes back there) and whether the handler sees it (a repeated QoS 2 PUBLISH is only acknowledged).
/// </summary>
internal readonly record struct IncomingDelivery(MqttConnection Connection, PublishPacket Publish, bool Deliver);
