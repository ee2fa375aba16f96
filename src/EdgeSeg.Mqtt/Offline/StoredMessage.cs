using System.Text;

namespace EdgeSeg.Mqtt;

/// <summary>The on-disk form of a queued <see cref="MqttMessage"/> (our own format, versioned by its first byte).</summary>
internal static class StoredMessage
{
    private const byte FormatVersion = 1;

    public static byte[] Serialize(MqttMessage message)
    {
        using var stream = new MemoryStream(64 + message.Payload.Length);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            var flags = (byte)message.QualityOfService;
            flags |= (byte)(message.Retain ? 0x04 : 0);
            flags |= (byte)(message.ContentType is not null ? 0x08 : 0);
            flags |= (byte)(message.MessageExpiryInterval.HasValue ? 0x10 : 0);
            flags |= (byte)(message.PayloadFormat.HasValue ? 0x20 : 0);
            flags |= (byte)(message.ResponseTopic is not null ? 0x40 : 0);
            flags |= (byte)(message.CorrelationData.HasValue ? 0x80 : 0);
            w.Write(flags);
            w.Write(message.Topic);
            if (message.ContentType is { } contentType)
            {
                w.Write(contentType);
            }

            if (message.MessageExpiryInterval is { } expiry)
            {
                w.Write(expiry);
            }

            if (message.PayloadFormat is { } format)
            {
                w.Write((byte)format);
            }

            if (message.ResponseTopic is { } responseTopic)
            {
                w.Write(responseTopic);
            }

            if (message.CorrelationData is { } correlation)
            {
                w.Write(correlation.Length);
                w.Write(correlation.Span);
            }

            var props = message.UserProperties ?? [];
            w.Write(props.Count);
            foreach (var p in props)
            {
                w.Write(p.Name);
                w.Write(p.Value);
            }

            w.Write(message.Payload.Length);
            w.Write(message.Payload.Span);
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a stored message.</exception>
    public static MqttMessage Deserialize(byte[] record)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
            var version = r.ReadByte();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Queued message format {version} is not {FormatVersion}.");
            }

            var flags = r.ReadByte();
            var topic = r.ReadString();
            var contentType = (flags & 0x08) != 0 ? r.ReadString() : null;
            uint? expiry = (flags & 0x10) != 0 ? r.ReadUInt32() : null;
            MqttPayloadFormat? format = (flags & 0x20) != 0 ? (MqttPayloadFormat)r.ReadByte() : null;
            var responseTopic = (flags & 0x40) != 0 ? r.ReadString() : null;
            byte[]? correlation = (flags & 0x80) != 0 ? ReadBlock(r) : null;
            var count = r.ReadInt32();
            if (count < 0 || count > record.Length)
            {
                throw new InvalidDataException($"Queued message has {count} user properties.");
            }

            var props = new List<MqttUserProperty>(count);
            for (var i = 0; i < count; i++)
            {
                props.Add(new MqttUserProperty(r.ReadString(), r.ReadString()));
            }

            var payload = ReadBlock(r);
            return new MqttMessage(topic, payload)
            {
                QualityOfService = (MqttQualityOfService)Math.Min(flags & 0x03, 2),
                Retain = (flags & 0x04) != 0,
                ContentType = contentType,
                MessageExpiryInterval = expiry,
                PayloadFormat = format,
                ResponseTopic = responseTopic,
                CorrelationData = correlation is { } c ? new ReadOnlyMemory<byte>(c) : (ReadOnlyMemory<byte>?)null,
                UserProperties = props.Count == 0 ? null : props,
            };
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"A queued message record is corrupt: {ex.Message}", ex);
        }
    }

    private static byte[] ReadBlock(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new InvalidDataException($"Queued message block of {length} bytes runs past the record.");
        }

        return r.ReadBytes(length);
    }
}
