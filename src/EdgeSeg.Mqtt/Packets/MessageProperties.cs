namespace EdgeSeg.Mqtt.Packets;

/// <summary>
/// The MQTT 5 properties of an application message, shared by PUBLISH and the CONNECT will. Sizing and writing
/// read straight from <see cref="MqttMessage"/> without allocating.
/// </summary>
internal static class MessageProperties
{
    /// <summary>Bytes of the property block content (no length prefix).</summary>
    public static int ContentSize(MqttMessage message, ushort topicAlias, uint? willDelayInterval)
    {
        var size = 0;
        if (message.PayloadFormat.HasValue)
        {
            size += 2;
        }

        if (message.MessageExpiryInterval.HasValue)
        {
            size += 5;
        }

        if (willDelayInterval.HasValue)
        {
            size += 5;
        }

        if (topicAlias != 0)
        {
            size += 3;
        }

        if (message.ContentType is { } contentType)
        {
            size += 1 + MqttWriter.StringSize(contentType);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            size += 1 + MqttWriter.StringSize(responseTopic);
        }

        if (message.CorrelationData is { } correlation)
        {
            size += 3 + correlation.Length;
        }

        if (message.UserProperties is { } props)
        {
            // Indexed loop: no enumerator allocation on the publish path.
            for (var i = 0; i < props.Count; i++)
            {
                size += 1 + MqttWriter.StringSize(props[i].Name) + MqttWriter.StringSize(props[i].Value);
            }
        }

        return size;
    }

    /// <summary>Writes the property block content (the caller writes the length prefix).</summary>
    public static void Write(ref MqttWriter w, MqttMessage message, ushort topicAlias, uint? willDelayInterval)
    {
        if (message.PayloadFormat is { } format)
        {
            w.WriteByte((byte)MqttPropertyId.PayloadFormatIndicator);
            w.WriteByte((byte)format);
        }

        if (message.MessageExpiryInterval is { } expiry)
        {
            w.WriteByte((byte)MqttPropertyId.MessageExpiryInterval);
            w.WriteUInt32(expiry);
        }

        if (willDelayInterval is { } delay)
        {
            w.WriteByte((byte)MqttPropertyId.WillDelayInterval);
            w.WriteUInt32(delay);
        }

        if (topicAlias != 0)
        {
            w.WriteByte((byte)MqttPropertyId.TopicAlias);
            w.WriteUInt16(topicAlias);
        }

        if (message.ContentType is { } contentType)
        {
            w.WriteByte((byte)MqttPropertyId.ContentType);
            w.WriteString(contentType);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            w.WriteByte((byte)MqttPropertyId.ResponseTopic);
            w.WriteString(responseTopic);
        }

        if (message.CorrelationData is { } correlation)
        {
            w.WriteByte((byte)MqttPropertyId.CorrelationData);
            w.WriteBinary(correlation.Span);
        }

        if (message.UserProperties is { } props)
        {
            for (var i = 0; i < props.Count; i++)
            {
                w.WriteByte((byte)MqttPropertyId.UserProperty);
                w.WriteString(props[i].Name);
                w.WriteString(props[i].Value);
            }
        }
    }

    /// <summary>Reads a message property block (length prefix first).</summary>
    public static Values Read(ref MqttReader r, bool isWill)
    {
        var what = isWill ? "the will properties" : "PUBLISH";
        var values = default(Values);
        var length = r.ReadVarInt();
        var block = new MqttReader(r.ReadBytes(length));
        var seen = 0UL;
        while (!block.AtEnd)
        {
            var id = block.ReadPropertyId();
            if (id is not (MqttPropertyId.UserProperty or MqttPropertyId.SubscriptionIdentifier) && (int)id < 64)
            {
                var bit = 1UL << (int)id;
                if ((seen & bit) != 0)
                {
                    throw new MqttProtocolException($"Property 0x{(int)id:x2} appears twice in {what}.", MqttReasonCode.ProtocolError);
                }

                seen |= bit;
            }

            switch (id)
            {
                case MqttPropertyId.PayloadFormatIndicator:
                    var format = block.ReadByte();
                    if (format > 1)
                    {
                        throw new MqttProtocolException($"Payload format indicator {format} is neither 0 nor 1.", MqttReasonCode.ProtocolError);
                    }

                    values.PayloadFormat = (MqttPayloadFormat)format;
                    break;
                case MqttPropertyId.MessageExpiryInterval:
                    values.MessageExpiryInterval = block.ReadUInt32();
                    break;
                case MqttPropertyId.ContentType:
                    values.ContentType = block.ReadString();
                    break;
                case MqttPropertyId.ResponseTopic:
                    values.ResponseTopic = block.ReadString();
                    break;
                case MqttPropertyId.CorrelationData:
                    values.CorrelationData = block.ReadBinary();
                    break;
                case MqttPropertyId.UserProperty:
                    (values.UserProperties ??= []).Add(new MqttUserProperty(block.ReadString(), block.ReadString()));
                    break;
                case MqttPropertyId.WillDelayInterval when isWill:
                    values.WillDelayInterval = block.ReadUInt32();
                    break;
                case MqttPropertyId.TopicAlias when !isWill:
                    values.TopicAlias = block.ReadUInt16();
                    if (values.TopicAlias == 0)
                    {
                        throw new MqttProtocolException("Topic alias 0 is a protocol error.", MqttReasonCode.TopicAliasInvalid);
                    }

                    break;
                case MqttPropertyId.SubscriptionIdentifier when !isWill:
                    var subId = block.ReadVarInt();
                    if (subId == 0)
                    {
                        throw new MqttProtocolException("Subscription identifier 0 is a protocol error.", MqttReasonCode.ProtocolError);
                    }

                    (values.SubscriptionIdentifiers ??= []).Add((uint)subId);
                    break;
                default:
                    throw new MqttProtocolException($"Property 0x{(int)id:x2} is not allowed in {what}.", MqttReasonCode.ProtocolError);
            }
        }

        return values;
    }

    /// <summary>Property values read from the wire, before the message is built.</summary>
    internal struct Values
    {
        public MqttPayloadFormat? PayloadFormat;
        public uint? MessageExpiryInterval;
        public string? ContentType;
        public string? ResponseTopic;
        public byte[]? CorrelationData;
        public List<MqttUserProperty>? UserProperties;
        public List<uint>? SubscriptionIdentifiers;
        public uint? WillDelayInterval;
        public ushort TopicAlias;

        public readonly MqttMessage Build(string topic, byte[] payload, MqttQualityOfService qos, bool retain) => new(topic, payload)
        {
            QualityOfService = qos,
            Retain = retain,
            PayloadFormat = PayloadFormat,
            MessageExpiryInterval = MessageExpiryInterval,
            ContentType = ContentType,
            ResponseTopic = ResponseTopic,
            CorrelationData = CorrelationData is { } correlation ? new ReadOnlyMemory<byte>(correlation) : (ReadOnlyMemory<byte>?)null,
            UserProperties = UserProperties,
            SubscriptionIdentifiers = SubscriptionIdentifiers,
        };
    }
}
