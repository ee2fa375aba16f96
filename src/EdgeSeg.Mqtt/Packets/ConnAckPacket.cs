namespace EdgeSeg.Mqtt.Packets;

/// <summary>CONNACK (3.2). <see cref="ReturnCode"/> is the raw byte: a 3.1.1 return code or an MQTT 5 reason code.</summary>
internal sealed class ConnAckPacket : MqttPacket
{
    private static readonly MqttPropertyId[] Allowed =
    [
        MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReceiveMaximum, MqttPropertyId.MaximumQoS,
        MqttPropertyId.RetainAvailable, MqttPropertyId.MaximumPacketSize, MqttPropertyId.AssignedClientIdentifier,
        MqttPropertyId.TopicAliasMaximum, MqttPropertyId.ReasonString, MqttPropertyId.UserProperty,
        MqttPropertyId.WildcardSubscriptionAvailable, MqttPropertyId.SubscriptionIdentifierAvailable,
        MqttPropertyId.SharedSubscriptionAvailable, MqttPropertyId.ServerKeepAlive, MqttPropertyId.ResponseInformation,
        MqttPropertyId.ServerReference, MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData,
    ];

    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    public byte ReturnCode { get; init; }

    public MqttProperties Properties { get; init; } = new();

    /// <summary>The outcome as an MQTT 5 reason code (3.1.1 return codes mapped onto their MQTT 5 equivalents).</summary>
    public MqttReasonCode ReasonCodeFor(MqttProtocolVersion version) => version == MqttProtocolVersion.V500
        ? (MqttReasonCode)ReturnCode
        : ReturnCode switch
        {
            0 => MqttReasonCode.Success,
            1 => MqttReasonCode.UnsupportedProtocolVersion,
            2 => MqttReasonCode.ClientIdentifierNotValid,
            3 => MqttReasonCode.ServerUnavailable,
            4 => MqttReasonCode.BadUserNameOrPassword,
            5 => MqttReasonCode.NotAuthorized,
            _ => MqttReasonCode.UnspecifiedError,
        };

    public override int BodySize(MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? Properties.BlockSize() : 0);

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        writer.WriteByte(SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte(ReturnCode);
        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer);
        }
    }

    public static ConnAckPacket Read(ref MqttReader r, MqttProtocolVersion version)
    {
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"CONNACK acknowledge flags 0x{ackFlags:x2} have reserved bits set.", MqttReasonCode.MalformedPacket);
        }

        var code = r.ReadByte();
        if (version == MqttProtocolVersion.V311 && code > 5)
        {
            throw new MqttProtocolException($"CONNACK return code {code} is not a 3.1.1 return code.", MqttReasonCode.MalformedPacket);
        }

        var props = version == MqttProtocolVersion.V500 && !r.AtEnd
            ? MqttProperties.Read(ref r, Allowed, "CONNACK")
            : new MqttProperties();
        return new ConnAckPacket { SessionPresent = (ackFlags & 1) != 0, ReturnCode = code, Properties = props };
    }
}
