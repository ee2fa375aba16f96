using System.Diagnostics;

namespace EdgeSeg.Mqtt.Packets;

/// <summary>Pure encode/decode of whole control packets; no I/O. Decoding throws only <see cref="MqttProtocolException"/>.</summary>
internal static class MqttPacketCodec
{
    /// <summary>Total encoded size of <paramref name="packet"/>, fixed header included.</summary>
    public static int GetSize(MqttPacket packet, MqttProtocolVersion version)
    {
        var body = packet.BodySize(version);
        return 1 + MqttWriter.VarIntSize(body) + body;
    }

    /// <summary>Encodes <paramref name="packet"/> into <paramref name="destination"/> and returns the byte count.</summary>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, Span<byte> destination)
    {
        var body = packet.BodySize(version);
        var w = new MqttWriter(destination);
        w.WriteByte((byte)(((byte)packet.Type << 4) | packet.Flags));
        w.WriteVarInt(body);
        var start = w.Position;
        packet.WriteBody(ref w, version);
        Debug.Assert(w.Position - start == body, $"{packet} body size and bytes written disagree.");
        return w.Position;
    }

    /// <summary>Encodes <paramref name="packet"/> into a new array (tests and rare control packets).</summary>
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var bytes = new byte[GetSize(packet, version)];
        Encode(packet, version, bytes);
        return bytes;
    }

    /// <summary>Decodes one packet from its fixed header byte and its body (the remaining-length bytes).</summary>
    /// <exception cref="MqttProtocolException">The bytes are not a valid packet of <paramref name="version"/>.</exception>
    public static MqttPacket Decode(byte header, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = (byte)(header & 0x0F);
        var expectedFlags = type switch
        {
            MqttPacketType.Publish => flags,
            MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe => (byte)0x02,
            _ => (byte)0,
        };
        if (flags != expectedFlags)
        {
            throw new MqttProtocolException($"{Name(type)} has fixed header flags 0x{flags:x} (expected 0x{expectedFlags:x}).", MqttReasonCode.MalformedPacket);
        }

        var r = new MqttReader(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => ConnectPacket.Read(ref r),
            MqttPacketType.ConnAck => ConnAckPacket.Read(ref r, version),
            MqttPacketType.Publish => PublishPacket.Read(ref r, flags, version),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp =>
                PubAckPacket.Read(ref r, type, version),
            MqttPacketType.Subscribe => SubscribePacket.Read(ref r, version),
            MqttPacketType.SubAck or MqttPacketType.UnsubAck => SubAckPacket.Read(ref r, type, version),
            MqttPacketType.Unsubscribe => UnsubscribePacket.Read(ref r, version),
            MqttPacketType.PingReq => PingPacket.Request,
            MqttPacketType.PingResp => PingPacket.Response,
            MqttPacketType.Disconnect or MqttPacketType.Auth => DisconnectPacket.Read(ref r, type, version),
            _ => throw new MqttProtocolException($"Packet type 0 is reserved (header byte 0x{header:x2}).", MqttReasonCode.MalformedPacket),
        };

        if (!r.AtEnd)
        {
            throw new MqttProtocolException($"{Name(type)} has {r.Remaining} bytes past its end.", MqttReasonCode.MalformedPacket);
        }

        return packet;
    }

    private static string Name(MqttPacketType type) => type.ToString().ToUpperInvariant();
}
