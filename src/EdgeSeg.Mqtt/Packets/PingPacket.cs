namespace EdgeSeg.Mqtt.Packets;

/// <summary>PINGREQ (3.12) and PINGRESP (3.13): a fixed header and nothing else.</summary>
internal sealed class PingPacket : MqttPacket
{
    private PingPacket(MqttPacketType type)
    {
        Type = type;
    }

    public static PingPacket Request { get; } = new(MqttPacketType.PingReq);

    public static PingPacket Response { get; } = new(MqttPacketType.PingResp);

    public override MqttPacketType Type { get; }

    public override int BodySize(MqttProtocolVersion version) => 0;

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
    }
}
