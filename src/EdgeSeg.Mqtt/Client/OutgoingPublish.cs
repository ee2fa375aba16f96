namespace EdgeSeg.Mqtt;

/// <summary>A QoS 1/2 publish the broker has not acknowledged yet. Lives in the client's session until acknowledged.</summary>
internal sealed class OutgoingPublish
{
    public OutgoingPublish(MqttMessage message, ushort packetId)
    {
        Message = message;
        PacketId = packetId;
    }

    public MqttMessage Message { get; }

    public ushort PacketId { get; }

    /// <summary>Completed when the exchange ends: PUBACK (QoS 1) or PUBCOMP (QoS 2), or faulted when refused.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>QoS 2 only: PUBREC arrived, so PUBREL (not the PUBLISH) is what a reconnect resends.</summary>
    public bool Released { get; set; }

    /// <summary>The connection it was last sent on; a reconnect resends every entry whose id differs.</summary>
    public int ConnectionId { get; set; }

    public LinkedListNode<OutgoingPublish>? Node { get; set; }
}
