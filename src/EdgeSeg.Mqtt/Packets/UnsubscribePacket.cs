namespace EdgeSeg.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (3.10).</summary>
internal sealed class UnsubscribePacket : MqttPacket
{
    private static readonly MqttPropertyId[] Allowed = [MqttPropertyId.UserProperty];

    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public override byte Flags => 0x02;

    public ushort PacketId { get; init; }

    public IReadOnlyList<string> TopicFilters { get; init; } = [];

    public MqttProperties Properties { get; init; } = new();

    public override int BodySize(MqttProtocolVersion version)
    {
        var size = 2 + (version == MqttProtocolVersion.V500 ? Properties.BlockSize() : 0);
        foreach (var f in TopicFilters)
        {
            size += MqttWriter.StringSize(f);
        }

        return size;
    }

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer);
        }

        foreach (var f in TopicFilters)
        {
            writer.WriteString(f);
        }
    }

    public static UnsubscribePacket Read(ref MqttReader r, MqttProtocolVersion version)
    {
        var id = r.ReadUInt16();
        if (id == 0)
        {
            throw new MqttProtocolException("UNSUBSCRIBE has packet identifier 0.", MqttReasonCode.ProtocolError);
        }

        var props = version == MqttProtocolVersion.V500 ? MqttProperties.Read(ref r, Allowed, "UNSUBSCRIBE") : new MqttProperties();
        var filters = new List<string>();
        while (!r.AtEnd)
        {
            filters.Add(r.ReadString());
        }

        if (filters.Count == 0)
        {
            throw new MqttProtocolException("UNSUBSCRIBE has no topic filters.", MqttReasonCode.ProtocolError);
        }

        return new UnsubscribePacket { PacketId = id, TopicFilters = filters, Properties = props };
    }
}
