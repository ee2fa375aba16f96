using System.Text;
using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Mqtt.Tests.Packets;

/// <summary>One or more packets of every type, with properties filled in for MQTT 5.</summary>
internal static class SamplePackets
{
    public static IEnumerable<MqttPacket> All(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        yield return new ConnectPacket { ProtocolVersion = version, ClientId = "edge-1", KeepAliveSeconds = 30 };
        yield return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = "edge-2",
            CleanStart = false,
            KeepAliveSeconds = 5,
            UserName = "user",
            Password = [1, 2, 3],
            Will = new MqttMessage("edgeseg/v1/dev/status", Encoding.UTF8.GetBytes("{\"state\":\"offline\"}"))
            {
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                ContentType = v5 ? "application/json" : null,
                PayloadFormat = v5 ? MqttPayloadFormat.Utf8 : null,
                MessageExpiryInterval = v5 ? 60u : null,
                UserProperties = v5 ? [new("k", "v")] : null,
            },
            WillDelayInterval = v5 ? 3u : null,
            Properties = v5 ? Props(p => { p.SessionExpiryInterval = 600; p.ReceiveMaximum = 50; p.MaximumPacketSize = 1 << 20; p.TopicAliasMaximum = 8; }) : new(),
        };
        yield return new ConnAckPacket { SessionPresent = true, ReturnCode = 0 };
        yield return new ConnAckPacket
        {
            ReturnCode = v5 ? (byte)MqttReasonCode.NotAuthorized : (byte)5,
            Properties = v5 ? Props(p => { p.ReceiveMaximum = 20; p.TopicAliasMaximum = 10; p.MaximumQoS = 1; p.RetainAvailable = 1; p.ReasonString = "no"; p.AssignedClientIdentifier = "auto-1"; p.ServerKeepAlive = 60; }) : new(),
        };
        yield return new PublishPacket(new MqttMessage("a/b", new byte[] { 9, 8, 7 }));
        yield return new PublishPacket(new MqttMessage("edgeseg/v1/dev/cam0/mask", new byte[300])
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = v5 ? "image/png" : null,
            MessageExpiryInterval = v5 ? 10u : null,
            PayloadFormat = v5 ? MqttPayloadFormat.Bytes : null,
            ResponseTopic = v5 ? "r/t" : null,
            CorrelationData = v5 ? new byte[] { 1, 2 } : null,
            UserProperties = v5 ? [new("frame", "42"), new("width", "480"), new("frame", "dup")] : null,
        })
        { PacketId = 7, Dup = true, TopicAlias = v5 ? (ushort)3 : (ushort)0 };
        yield return new PublishPacket(new MqttMessage("q2", new byte[] { 1 }) { QualityOfService = MqttQualityOfService.ExactlyOnce }) { PacketId = 65535 };
        foreach (var type in new[] { MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubRel, MqttPacketType.PubComp })
        {
            yield return new PubAckPacket(type, 1);
            if (v5)
            {
                yield return new PubAckPacket(type, 2) { ReasonCode = MqttReasonCode.NoMatchingSubscribers };
                yield return new PubAckPacket(type, 3) { ReasonCode = MqttReasonCode.QuotaExceeded, Properties = Props(p => p.ReasonString = "full") };
            }
        }

        yield return new SubscribePacket
        {
            PacketId = 10,
            Subscriptions =
            [
                new("edgeseg/+/status", MqttQualityOfService.AtLeastOnce),
                new("$share/workers/edgeseg/v1/#", MqttQualityOfService.AtMostOnce)
                {
                    NoLocal = v5, RetainAsPublished = v5, RetainHandling = v5 ? MqttRetainHandling.DoNotSend : MqttRetainHandling.SendAtSubscribe,
                },
            ],
            Properties = v5 ? Props(p => { p.SubscriptionIdentifier = 300; p.UserProperties.Add(new("a", "b")); }) : new(),
        };
        yield return new SubAckPacket(MqttPacketType.SubAck) { PacketId = 10, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success, MqttReasonCode.UnspecifiedError] };
        yield return new UnsubscribePacket { PacketId = 11, TopicFilters = ["a/#", "b/+"], Properties = v5 ? Props(p => p.UserProperties.Add(new("x", "y"))) : new() };
        yield return new SubAckPacket(MqttPacketType.UnsubAck) { PacketId = 11, ReasonCodes = v5 ? [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] : [] };
        yield return PingPacket.Request;
        yield return PingPacket.Response;
        yield return new DisconnectPacket();
        if (v5)
        {
            yield return new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage };
            yield return new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown, Properties = Props(p => { p.ReasonString = "bye"; p.ServerReference = "other:1883"; }) };
            yield return new DisconnectPacket(MqttPacketType.Auth) { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = Props(p => { p.AuthenticationMethod = "SCRAM"; p.AuthenticationData = [1, 2, 3]; }) };
        }
    }

    public static MqttProperties Props(Action<MqttProperties> fill)
    {
        var p = new MqttProperties();
        fill(p);
        return p;
    }
}
