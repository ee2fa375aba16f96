namespace EdgeSeg.Mqtt.Packets;

/// <summary>DISCONNECT (3.14) and, for MQTT 5, AUTH (3.15): a reason code and properties, both optional on the wire.</summary>
internal sealed class DisconnectPacket : MqttPacket
{
    private static readonly MqttPropertyId[] DisconnectAllowed =
    [
        MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReasonString, MqttPropertyId.UserProperty, MqttPropertyId.ServerReference,
    ];

    private static readonly MqttPropertyId[] AuthAllowed =
    [
        MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData, MqttPropertyId.ReasonString, MqttPropertyId.UserProperty,
    ];

    public DisconnectPacket(MqttPacketType type = MqttPacketType.Disconnect)
    {
        if (type is not (MqttPacketType.Disconnect or MqttPacketType.Auth))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not DISCONNECT or AUTH.");
        }

        Type = type;
    }

    public override MqttPacketType Type { get; }

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }

    private bool HasProperties => Properties is { } p && p.ContentSize() > 0;

    public override int BodySize(MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V311)
        {
            return 0;
        }

        return HasProperties ? 1 + Properties!.BlockSize() : ReasonCode == MqttReasonCode.Success ? 0 : 1;
    }

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V311)
        {
            return;
        }

        if (HasProperties)
        {
            writer.WriteByte((byte)ReasonCode);
            Properties!.Write(ref writer);
        }
        else if (ReasonCode != MqttReasonCode.Success)
        {
            writer.WriteByte((byte)ReasonCode);
        }
    }

    public static DisconnectPacket Read(ref MqttReader r, MqttPacketType type, MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V311)
        {
            if (type == MqttPacketType.Auth)
            {
                throw new MqttProtocolException("AUTH does not exist in MQTT 3.1.1.", MqttReasonCode.ProtocolError);
            }

            return new DisconnectPacket(type);
        }

        var reason = MqttReasonCode.Success;
        MqttProperties? props = null;
        if (!r.AtEnd)
        {
            reason = (MqttReasonCode)r.ReadByte();
            if (!r.AtEnd)
            {
                props = MqttProperties.Read(
                    ref r, type == MqttPacketType.Auth ? AuthAllowed : DisconnectAllowed, type.ToString().ToUpperInvariant());
            }
        }

        return new DisconnectPacket(type) { ReasonCode = reason, Properties = props };
    }
}
