using System.Diagnostics;

namespace EdgeSeg.Mqtt.Packets;

/// <summary>
/// PUBLISH (3.3). The static <see cref="GetSize"/> and <see cref="Encode"/> write straight from an
/// <see cref="MqttMessage"/> into a caller-owned span and allocate nothing; the client's send path uses them.
/// </summary>
internal sealed class PublishPacket : MqttPacket
{
    public PublishPacket(MqttMessage message)
    {
        Message = message;
    }

    public override MqttPacketType Type => MqttPacketType.Publish;

    public MqttMessage Message { get; }

    public ushort PacketId { get; init; }

    public bool Dup { get; init; }

    /// <summary>Topic alias carried (MQTT 5), 0 for none.</summary>
    public ushort TopicAlias { get; init; }

    /// <summary>False when the topic name is left empty because the alias stands for it.</summary>
    public bool IncludeTopic { get; init; } = true;

    public override byte Flags => FlagsOf(Message, Dup);

    public override int BodySize(MqttProtocolVersion version) => BodySize(Message, PacketId, TopicAlias, IncludeTopic, version);

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version) =>
        WriteBody(ref writer, Message, PacketId, TopicAlias, IncludeTopic, version);

    /// <summary>Total encoded size of a PUBLISH of <paramref name="message"/>, fixed header included.</summary>
    public static int GetSize(MqttMessage message, ushort packetId, ushort topicAlias, bool includeTopic, MqttProtocolVersion version)
    {
        var body = BodySize(message, packetId, topicAlias, includeTopic, version);
        return 1 + MqttWriter.VarIntSize(body) + body;
    }

    /// <summary>Encodes a PUBLISH into <paramref name="destination"/> (at least <see cref="GetSize"/> bytes) and returns the byte count.</summary>
    public static int Encode(
        Span<byte> destination, MqttMessage message, ushort packetId, bool dup, ushort topicAlias, bool includeTopic, MqttProtocolVersion version)
    {
        var body = BodySize(message, packetId, topicAlias, includeTopic, version);
        var w = new MqttWriter(destination);
        w.WriteByte((byte)(((byte)MqttPacketType.Publish << 4) | FlagsOf(message, dup)));
        w.WriteVarInt(body);
        var start = w.Position;
        WriteBody(ref w, message, packetId, topicAlias, includeTopic, version);
        Debug.Assert(w.Position - start == body, "PUBLISH body size and bytes written disagree.");
        return w.Position;
    }

    private static byte FlagsOf(MqttMessage message, bool dup) =>
        (byte)((dup ? 0x08 : 0) | ((byte)message.QualityOfService << 1) | (message.Retain ? 0x01 : 0));

    private static int BodySize(MqttMessage message, ushort packetId, ushort topicAlias, bool includeTopic, MqttProtocolVersion version)
    {
        var size = includeTopic ? MqttWriter.StringSize(message.Topic) : 2;
        if (message.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            size += 2;
        }

        if (version == MqttProtocolVersion.V500)
        {
            var props = MessageProperties.ContentSize(message, topicAlias, null);
            size += MqttWriter.VarIntSize(props) + props;
        }

        return size + message.Payload.Length;
    }

    private static void WriteBody(
        ref MqttWriter w, MqttMessage message, ushort packetId, ushort topicAlias, bool includeTopic, MqttProtocolVersion version)
    {
        if (includeTopic)
        {
            w.WriteString(message.Topic);
        }
        else
        {
            w.WriteUInt16(0);
        }

        if (message.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            w.WriteUInt16(packetId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            w.WriteVarInt(MessageProperties.ContentSize(message, topicAlias, null));
            MessageProperties.Write(ref w, message, topicAlias, null);
        }

        w.WriteBytes(message.Payload.Span);
    }

    public static PublishPacket Read(ref MqttReader r, byte flags, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            throw new MqttProtocolException("PUBLISH with QoS 3.", MqttReasonCode.MalformedPacket);
        }

        var dup = (flags & 0x08) != 0;
        if (qos == 0 && dup)
        {
            throw new MqttProtocolException("PUBLISH with QoS 0 has the DUP flag set.", MqttReasonCode.MalformedPacket);
        }

        var topic = r.ReadString();
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new MqttProtocolException($"PUBLISH topic '{topic}' contains a wildcard.", MqttReasonCode.TopicNameInvalid);
        }

        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = r.ReadUInt16();
            if (packetId == 0)
            {
                throw new MqttProtocolException("PUBLISH with QoS > 0 has packet identifier 0.", MqttReasonCode.ProtocolError);
            }
        }

        var values = version == MqttProtocolVersion.V500 ? MessageProperties.Read(ref r, isWill: false) : default;
        if (topic.Length == 0 && values.TopicAlias == 0)
        {
            throw new MqttProtocolException("PUBLISH has an empty topic and no topic alias.", MqttReasonCode.ProtocolError);
        }

        var payload = r.ReadRest().ToArray();
        var message = values.Build(topic, payload, (MqttQualityOfService)qos, (flags & 0x01) != 0);
        return new PublishPacket(message)
        {
            PacketId = packetId,
            Dup = dup,
            TopicAlias = values.TopicAlias,
            IncludeTopic = topic.Length != 0,
        };
    }
}
