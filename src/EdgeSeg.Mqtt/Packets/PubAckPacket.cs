namespace EdgeSeg.Mqtt.Packets;

/// <summary>The four acknowledgements of a publish: PUBACK, PUBREC, PUBREL and PUBCOMP (3.4-3.7), which share a layout.</summary>
internal sealed class PubAckPacket : MqttPacket
{
    private static readonly MqttPropertyId[] Allowed = [MqttPropertyId.ReasonString, MqttPropertyId.UserProperty];

    public PubAckPacket(MqttPacketType type, ushort packetId)
    {
        if (type is not (MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a publish acknowledgement.");
        }

        Type = type;
        PacketId = packetId;
    }

    public override MqttPacketType Type { get; }

    public override byte Flags => Type == MqttPacketType.PubRel ? (byte)0x02 : (byte)0;

    public ushort PacketId { get; }

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }

    private bool HasProperties => Properties is { } p && p.ContentSize() > 0;

    public override int BodySize(MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V311)
        {
            return 2;
        }

        // MQTT 5 short forms: no reason code when it is Success and there are no properties (3.4.2.1).
        return HasProperties ? 3 + Properties!.BlockSize() : ReasonCode == MqttReasonCode.Success ? 2 : 3;
    }

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V311)
        {
            return;
        }

        if (HasProperties)
        {
            writer.WriteByte((byte)ReasonCode);
            Properties!.Write(ref writer);
        }
        else if (ReasonCode != MqttReasonCode.Success)
        {
            writer.WriteByte((byte)ReasonCode);
        }
    }

    public static PubAckPacket Read(ref MqttReader r, MqttPacketType type, MqttProtocolVersion version)
    {
        var id = r.ReadUInt16();
        if (id == 0)
        {
            throw new MqttProtocolException($"{type.ToString().ToUpperInvariant()} has packet identifier 0.", MqttReasonCode.ProtocolError);
        }

        var reason = MqttReasonCode.Success;
        MqttProperties? props = null;
        if (version == MqttProtocolVersion.V500 && !r.AtEnd)
        {
            reason = (MqttReasonCode)r.ReadByte();
            if (!r.AtEnd)
            {
                props = MqttProperties.Read(ref r, Allowed, type.ToString().ToUpperInvariant());
            }
        }

        return new PubAckPacket(type, id) { ReasonCode = reason, Properties = props };
    }
}
