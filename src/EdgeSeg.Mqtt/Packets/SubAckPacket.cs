namespace EdgeSeg.Mqtt.Packets;

/// <summary>SUBACK (3.9) and UNSUBACK (3.11): a packet identifier, properties and one reason code per filter.</summary>
/// <remarks>An MQTT 3.1.1 UNSUBACK carries no reason codes.</remarks>
internal sealed class SubAckPacket : MqttPacket
{
    private static readonly MqttPropertyId[] Allowed = [MqttPropertyId.ReasonString, MqttPropertyId.UserProperty];

    public SubAckPacket(MqttPacketType type)
    {
        if (type is not (MqttPacketType.SubAck or MqttPacketType.UnsubAck))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not SUBACK or UNSUBACK.");
        }

        Type = type;
    }

    public override MqttPacketType Type { get; }

    public ushort PacketId { get; init; }

    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    public MqttProperties Properties { get; init; } = new();

    private bool HasReasonCodes(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 || Type == MqttPacketType.SubAck;

    public override int BodySize(MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? Properties.BlockSize() : 0) + (HasReasonCodes(version) ? ReasonCodes.Count : 0);

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer);
        }

        if (HasReasonCodes(version))
        {
            foreach (var code in ReasonCodes)
            {
                writer.WriteByte((byte)code);
            }
        }
    }

    public static SubAckPacket Read(ref MqttReader r, MqttPacketType type, MqttProtocolVersion version)
    {
        var name = type.ToString().ToUpperInvariant();
        var id = r.ReadUInt16();
        if (id == 0)
        {
            throw new MqttProtocolException($"{name} has packet identifier 0.", MqttReasonCode.ProtocolError);
        }

        var props = version == MqttProtocolVersion.V500 ? MqttProperties.Read(ref r, Allowed, name) : new MqttProperties();
        var codes = new List<MqttReasonCode>();
        var packet = new SubAckPacket(type) { PacketId = id, Properties = props, ReasonCodes = codes };
        if (!packet.HasReasonCodes(version))
        {
            return packet;
        }

        while (!r.AtEnd)
        {
            var code = r.ReadByte();
            if (version == MqttProtocolVersion.V311 && code is not (0 or 1 or 2 or 0x80))
            {
                throw new MqttProtocolException($"SUBACK return code 0x{code:x2} is not a 3.1.1 return code.", MqttReasonCode.MalformedPacket);
            }

            codes.Add((MqttReasonCode)code);
        }

        if (codes.Count == 0)
        {
            throw new MqttProtocolException($"{name} has no reason codes.", MqttReasonCode.ProtocolError);
        }

        return packet;
    }
}
