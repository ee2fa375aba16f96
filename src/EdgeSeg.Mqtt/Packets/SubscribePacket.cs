namespace EdgeSeg.Mqtt.Packets;

/// <summary>SUBSCRIBE (3.8).</summary>
internal sealed class SubscribePacket : MqttPacket
{
    private static readonly MqttPropertyId[] Allowed = [MqttPropertyId.SubscriptionIdentifier, MqttPropertyId.UserProperty];

    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public override byte Flags => 0x02;

    public ushort PacketId { get; init; }

    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    public MqttProperties Properties { get; init; } = new();

    public override int BodySize(MqttProtocolVersion version)
    {
        var size = 2 + (version == MqttProtocolVersion.V500 ? Properties.BlockSize() : 0);
        foreach (var s in Subscriptions)
        {
            size += MqttWriter.StringSize(s.TopicFilter) + 1;
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

        foreach (var s in Subscriptions)
        {
            writer.WriteString(s.TopicFilter);
            var options = (byte)s.QualityOfService;
            if (version == MqttProtocolVersion.V500)
            {
                options |= (byte)((s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | ((byte)s.RetainHandling << 4));
            }

            writer.WriteByte(options);
        }
    }

    public static SubscribePacket Read(ref MqttReader r, MqttProtocolVersion version)
    {
        var id = r.ReadUInt16();
        if (id == 0)
        {
            throw new MqttProtocolException("SUBSCRIBE has packet identifier 0.", MqttReasonCode.ProtocolError);
        }

        var props = version == MqttProtocolVersion.V500 ? MqttProperties.Read(ref r, Allowed, "SUBSCRIBE") : new MqttProperties();
        var subs = new List<MqttSubscription>();
        while (!r.AtEnd)
        {
            var filter = r.ReadString();
            var options = r.ReadByte();
            var reserved = version == MqttProtocolVersion.V500 ? 0xC0 : 0xFC;
            if ((options & reserved) != 0 || (options & 0x03) == 3 || ((options >> 4) & 0x03) == 3)
            {
                throw new MqttProtocolException($"SUBSCRIBE options 0x{options:x2} are invalid.", MqttReasonCode.MalformedPacket);
            }

            subs.Add(new MqttSubscription(filter, (MqttQualityOfService)(options & 0x03))
            {
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)((options >> 4) & 0x03),
            });
        }

        if (subs.Count == 0)
        {
            throw new MqttProtocolException("SUBSCRIBE has no topic filters.", MqttReasonCode.ProtocolError);
        }

        return new SubscribePacket { PacketId = id, Subscriptions = subs, Properties = props };
    }
}
