namespace EdgeSeg.Mqtt.Packets;

/// <summary>A decoded or to-be-encoded control packet. Subclasses write and size their own variable header and payload.</summary>
internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }

    /// <summary>The low nibble of the fixed header.</summary>
    public virtual byte Flags => 0;

    /// <summary>Bytes after the fixed header (the remaining length).</summary>
    public abstract int BodySize(MqttProtocolVersion version);

    /// <summary>Writes the bytes after the fixed header; exactly <see cref="BodySize"/> of them.</summary>
    public abstract void WriteBody(ref MqttWriter writer, MqttProtocolVersion version);

    public override string ToString() => Type.ToString().ToUpperInvariant();
}
