namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>Limits a test broker announces in its CONNACK (null: the broker's own default).</summary>
internal sealed record BrokerLimits
{
    /// <summary>Receive maximum: QoS 1 and 2 publishes a client may have unacknowledged at once.</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>Maximum packet size the broker accepts.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>Topic aliases the broker accepts from a client.</summary>
    public ushort? TopicAliasMaximum { get; init; }
}
