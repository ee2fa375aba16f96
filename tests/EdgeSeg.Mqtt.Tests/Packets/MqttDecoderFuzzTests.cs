using EdgeSeg.Mqtt.Framing;
using EdgeSeg.Mqtt.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeSeg.Mqtt.Tests.Packets;

/// <summary>FsCheck properties: whatever bytes arrive, the decoder and the framer report a protocol error or a packet, never anything else.</summary>
public sealed class MqttDecoderFuzzTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2_000).WithQuietOnSuccess(true);

    private static bool DecodesOrRejects(byte header, byte[] body, MqttProtocolVersion version)
    {
        try
        {
            var packet = MqttPacketCodec.Decode(header, body, version);

            // Whatever decodes must encode again without error.
            MqttPacketCodec.Encode(packet, version);
            return true;
        }
        catch (MqttProtocolException)
        {
            return true;
        }
    }

    [Fact]
    public void Decode_RandomBytes_ReturnsPacketOrProtocolError()
    {
        var gen =
            from header in Gen.Choose(0, 255)
            from body in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from v5 in ArbMap.Default.GeneratorFor<bool>()
            select (Header: (byte)header, Body: body, Version: v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        Prop.ForAll(gen.ToArbitrary(), c => DecodesOrRejects(c.Header, c.Body, c.Version)).Check(Config);
    }

    [Fact]
    public void Decode_MutatedValidPackets_ReturnsPacketOrProtocolError()
    {
        var samples = new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 }
            .SelectMany(v => SamplePackets.All(v).Select(p => (Version: v, Bytes: MqttPacketCodec.Encode(p, v))))
            .ToArray();
        var gen =
            from index in Gen.Choose(0, samples.Length - 1)
            from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, 10_000), Gen.Choose(0, 255)))
            from cut in Gen.Choose(0, 10_000)
            select (samples[index].Version, Mutate(samples[index].Bytes, flips, cut));
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var bytes = c.Item2;
            if (bytes.Length == 0)
            {
                return true;
            }

            // Body after a (possibly damaged) header: skip the remaining-length bytes as the framer would.
            var i = 1;
            while (i < bytes.Length && i < 5 && (bytes[i] & 0x80) != 0)
            {
                i++;
            }

            var body = i + 1 <= bytes.Length ? bytes[(i + 1)..] : [];
            return DecodesOrRejects(bytes[0], body, c.Version);
        }).Check(Config);
    }

    [Fact]
    public void ReadAsync_RandomStreams_ReturnsFramesOrProtocolErrorAndNeverHangs()
    {
        var gen = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            using var stream = new MemoryStream(bytes);
            using var reader = new MqttFrameReader(stream, 4096, TimeSpan.FromSeconds(10));
            var frames = 0;
            try
            {
                while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } frame)
                {
                    frames++;
                    if (frames > bytes.Length)
                    {
                        return false; // every frame consumes at least two bytes
                    }

                    try
                    {
                        MqttPacketCodec.Decode(frame.Header, frame.Body.Span, MqttProtocolVersion.V500);
                    }
                    catch (MqttProtocolException)
                    {
                    }
                }

                return true;
            }
            catch (MqttProtocolException)
            {
                return true;
            }
        }).Check(Config);
    }

    [Fact]
    public void Decode_ArbitraryMessages_RoundTripThroughPublish()
    {
        var text = Gen.ArrayOf(Gen.Elements('a', 'b', '/', 'é', '漢', '-', '0')).Select(cs => new string(cs));
        var gen =
            from topic in text.Where(t => t.Length > 0)
            from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from qos in Gen.Choose(0, 2)
            from retain in ArbMap.Default.GeneratorFor<bool>()
            from contentType in Gen.OneOf(Gen.Constant<string?>(null), text.Select(t => (string?)t))
            from expiry in Gen.OneOf(Gen.Constant<uint?>(null), Gen.Choose(0, int.MaxValue).Select(e => (uint?)e))
            from props in Gen.ListOf(Gen.Zip(text, text))
            from v5 in ArbMap.Default.GeneratorFor<bool>()
            select (Message: new MqttMessage(topic, payload)
            {
                QualityOfService = (MqttQualityOfService)qos,
                Retain = retain,
                ContentType = v5 ? contentType : null,
                MessageExpiryInterval = v5 ? expiry : null,
                UserProperties = v5 && props.Count > 0 ? [.. props.Select(p => new MqttUserProperty(p.Item1, p.Item2))] : null,
            }, Version: v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var id = c.Message.QualityOfService == MqttQualityOfService.AtMostOnce ? (ushort)0 : (ushort)9;
            var buffer = new byte[PublishPacket.GetSize(c.Message, id, 0, true, c.Version)];
            var written = PublishPacket.Encode(buffer, c.Message, id, false, 0, true, c.Version);
            var i = 1;
            while ((buffer[i] & 0x80) != 0)
            {
                i++;
            }

            var got = ((PublishPacket)MqttPacketCodec.Decode(buffer[0], buffer.AsSpan(i + 1, written - i - 1), c.Version)).Message;
            return written == buffer.Length
                && got.Topic == c.Message.Topic
                && got.Payload.Span.SequenceEqual(c.Message.Payload.Span)
                && got.QualityOfService == c.Message.QualityOfService
                && got.Retain == c.Message.Retain
                && got.ContentType == c.Message.ContentType
                && got.MessageExpiryInterval == c.Message.MessageExpiryInterval
                && (got.UserProperties ?? []).SequenceEqual(c.Message.UserProperties ?? []);
        }).Check(Config);
    }

    private static byte[] Mutate(byte[] bytes, IEnumerable<(int Position, int Value)> flips, int cut)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var (position, value) in flips)
        {
            copy[position % copy.Length] = (byte)value;
        }

        return copy[..Math.Min(copy.Length, 1 + (cut % copy.Length))];
    }
}
