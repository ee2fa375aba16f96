using System.Text;
using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Mqtt.Tests.Packets;

public sealed class MqttPacketCodecTests
{
    public static TheoryData<MqttProtocolVersion, int> EveryPacket()
    {
        var data = new TheoryData<MqttProtocolVersion, int>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var count = SamplePackets.All(version).Count();
            for (var i = 0; i < count; i++)
            {
                data.Add(version, i);
            }
        }

        return data;
    }

    private static (byte Header, byte[] Body) Split(byte[] bytes)
    {
        var i = 1;
        while ((bytes[i] & 0x80) != 0)
        {
            i++;
        }

        return (bytes[0], bytes[(i + 1)..]);
    }

    [Theory]
    [MemberData(nameof(EveryPacket))]
    public void Decode_EncodedPacket_ReencodesToTheSameBytes(MqttProtocolVersion version, int index)
    {
        var packet = SamplePackets.All(version).ElementAt(index);
        var bytes = MqttPacketCodec.Encode(packet, version);
        Assert.Equal(MqttPacketCodec.GetSize(packet, version), bytes.Length);
        var (header, body) = Split(bytes);
        var decoded = MqttPacketCodec.Decode(header, body, version);
        Assert.Equal(packet.Type, decoded.Type);
        Assert.Equal(bytes, MqttPacketCodec.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(EveryPacket))]
    public void Decode_EveryTruncation_ThrowsProtocolException(MqttProtocolVersion version, int index)
    {
        var packet = SamplePackets.All(version).ElementAt(index);
        var (header, body) = Split(MqttPacketCodec.Encode(packet, version));
        for (var length = 0; length < body.Length; length++)
        {
            var cut = body[..length];
            try
            {
                // Some prefixes are themselves valid (optional trailing parts of MQTT 5 acks); none may throw anything else.
                MqttPacketCodec.Decode(header, cut, version);
            }
            catch (MqttProtocolException)
            {
            }
        }

        // Cutting the last byte of a fixed-layout packet is always an error.
        if (packet is ConnectPacket or SubscribePacket or UnsubscribePacket)
        {
            Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(header, body.AsSpan(0, body.Length - 1), version));
        }
    }

    [Fact]
    public void Encode_PingReq_IsC000()
    {
        Assert.Equal(new byte[] { 0xC0, 0x00 }, MqttPacketCodec.Encode(PingPacket.Request, MqttProtocolVersion.V311));
    }

    [Fact]
    public void Encode_Qos1Publish311_MatchesSpecLayout()
    {
        var message = new MqttMessage("a/b", new byte[] { 0xAA }) { QualityOfService = MqttQualityOfService.AtLeastOnce, Retain = true };
        var bytes = MqttPacketCodec.Encode(new PublishPacket(message) { PacketId = 0x0102, Dup = true }, MqttProtocolVersion.V311);

        // 0x3B = PUBLISH | DUP | QoS1 | RETAIN; remaining 8 = topic (2+3) + id (2) + payload (1).
        Assert.Equal(new byte[] { 0x3B, 0x08, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'b', 0x01, 0x02, 0xAA }, bytes);
    }

    [Fact]
    public void Encode_Connect5_MatchesSpecLayout()
    {
        var bytes = MqttPacketCodec.Encode(
            new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "c", KeepAliveSeconds = 10 }, MqttProtocolVersion.V500);

        // Fixed header, "MQTT", level 5, flags clean start, keep alive 10, empty properties, client id "c".
        byte[] expected = [0x10, 0x0E, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, 0x00, 0x0A, 0x00, 0x00, 0x01, (byte)'c'];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Decode_Publish5WithProperties_ExposesThem()
    {
        var sent = new MqttMessage("t", Encoding.UTF8.GetBytes("{}"))
        {
            ContentType = "application/json",
            PayloadFormat = MqttPayloadFormat.Utf8,
            MessageExpiryInterval = 30,
            UserProperties = [new("frame", "7"), new("model", "unet")],
        };
        var (header, body) = Split(MqttPacketCodec.Encode(new PublishPacket(sent), MqttProtocolVersion.V500));
        var got = ((PublishPacket)MqttPacketCodec.Decode(header, body, MqttProtocolVersion.V500)).Message;
        Assert.Equal("application/json", got.ContentType);
        Assert.Equal(MqttPayloadFormat.Utf8, got.PayloadFormat);
        Assert.Equal(30u, got.MessageExpiryInterval);
        Assert.Equal("7", got.GetUserProperty("frame"));
        Assert.Equal("unet", got.GetUserProperty("model"));
        Assert.Equal("{}", Encoding.UTF8.GetString(got.Payload.Span));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, (byte)'a', 0x00, 0x00 }, "QoS 3")] // flags 0x06 = QoS 3
    public void Decode_PublishWithQos3_Throws(byte[] body, string because)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(0x36, body, MqttProtocolVersion.V311));
        Assert.Contains(because, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PropertyRepeated_ThrowsProtocolError()
    {
        // PUBACK, id 1, reason 0, properties: reason string twice.
        byte[] body = [0x00, 0x01, 0x00, 0x08, 0x1F, 0x00, 0x01, (byte)'a', 0x1F, 0x00, 0x01, (byte)'b'];
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(0x40, body, MqttProtocolVersion.V500));
        Assert.Equal(MqttReasonCode.ProtocolError, ex.ReasonCode);
    }

    [Fact]
    public void Decode_InvalidUtf8Topic_ThrowsProtocolException()
    {
        byte[] body = [0x00, 0x02, 0xC3, 0x28, 0x01];
        Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(0x30, body, MqttProtocolVersion.V311));
    }

    [Fact]
    public void Decode_WrongFixedHeaderFlags_ThrowsMalformed()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(0x60, [0x00, 0x01], MqttProtocolVersion.V311));
        Assert.Equal(MqttReasonCode.MalformedPacket, ex.ReasonCode);
    }

    [Fact]
    public void Decode_AuthIn311_ThrowsProtocolError()
    {
        Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(0xF0, [], MqttProtocolVersion.V311));
    }
}
