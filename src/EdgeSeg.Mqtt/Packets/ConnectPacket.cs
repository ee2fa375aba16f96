namespace EdgeSeg.Mqtt.Packets;

/// <summary>CONNECT (3.1): the first packet a client sends.</summary>
internal sealed class ConnectPacket : MqttPacket
{
    private const byte UserNameFlag = 0x80;
    private const byte PasswordFlag = 0x40;
    private const byte WillRetainFlag = 0x20;
    private const byte WillFlag = 0x04;
    private const byte CleanStartFlag = 0x02;

    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    public string ClientId { get; init; } = "";

    public bool CleanStart { get; init; } = true;

    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public byte[]? Password { get; init; }

    public MqttMessage? Will { get; init; }

    public uint? WillDelayInterval { get; init; }

    public MqttProperties Properties { get; init; } = new();

    public override int BodySize(MqttProtocolVersion version)
    {
        var size = 6 + 1 + 1 + 2; // "MQTT", level, flags, keep alive
        if (ProtocolVersion == MqttProtocolVersion.V500)
        {
            size += Properties.BlockSize();
        }

        size += MqttWriter.StringSize(ClientId);
        if (Will is not null)
        {
            if (ProtocolVersion == MqttProtocolVersion.V500)
            {
                var props = MessageProperties.ContentSize(Will, 0, WillDelayInterval);
                size += MqttWriter.VarIntSize(props) + props;
            }

            size += MqttWriter.StringSize(Will.Topic) + 2 + Will.Payload.Length;
        }

        size += UserName is null ? 0 : MqttWriter.StringSize(UserName);
        size += Password is null ? 0 : 2 + Password.Length;
        return size;
    }

    public override void WriteBody(ref MqttWriter writer, MqttProtocolVersion version)
    {
        writer.WriteString("MQTT");
        writer.WriteByte((byte)ProtocolVersion);
        byte flags = 0;
        flags |= UserName is null ? (byte)0 : UserNameFlag;
        flags |= Password is null ? (byte)0 : PasswordFlag;
        if (Will is not null)
        {
            flags |= WillFlag;
            flags |= (byte)((byte)Will.QualityOfService << 3);
            flags |= Will.Retain ? WillRetainFlag : (byte)0;
        }

        flags |= CleanStart ? CleanStartFlag : (byte)0;
        writer.WriteByte(flags);
        writer.WriteUInt16(KeepAliveSeconds);
        if (ProtocolVersion == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer);
        }

        writer.WriteString(ClientId);
        if (Will is not null)
        {
            if (ProtocolVersion == MqttProtocolVersion.V500)
            {
                writer.WriteVarInt(MessageProperties.ContentSize(Will, 0, WillDelayInterval));
                MessageProperties.Write(ref writer, Will, 0, WillDelayInterval);
            }

            writer.WriteString(Will.Topic);
            writer.WriteBinary(Will.Payload.Span);
        }

        if (UserName is not null)
        {
            writer.WriteString(UserName);
        }

        if (Password is not null)
        {
            writer.WriteBinary(Password);
        }
    }

    private static readonly MqttPropertyId[] Allowed =
    [
        MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReceiveMaximum, MqttPropertyId.MaximumPacketSize,
        MqttPropertyId.TopicAliasMaximum, MqttPropertyId.RequestResponseInformation, MqttPropertyId.RequestProblemInformation,
        MqttPropertyId.UserProperty, MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData,
    ];

    public static ConnectPacket Read(ref MqttReader r)
    {
        var name = r.ReadString();
        if (name != "MQTT")
        {
            throw new MqttProtocolException($"CONNECT names protocol '{name}', not 'MQTT'.", MqttReasonCode.UnsupportedProtocolVersion);
        }

        var level = r.ReadByte();
        if (level is not ((byte)MqttProtocolVersion.V311 or (byte)MqttProtocolVersion.V500))
        {
            throw new MqttProtocolException($"CONNECT protocol level {level} is neither 4 (3.1.1) nor 5 (5.0).", MqttReasonCode.UnsupportedProtocolVersion);
        }

        var version = (MqttProtocolVersion)level;
        var flags = r.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("CONNECT reserved flag is set.", MqttReasonCode.MalformedPacket);
        }

        var willQos = (flags >> 3) & 0x03;
        var hasWill = (flags & WillFlag) != 0;
        if (willQos == 3 || (!hasWill && (willQos != 0 || (flags & WillRetainFlag) != 0)))
        {
            throw new MqttProtocolException("CONNECT will flags are inconsistent.", MqttReasonCode.MalformedPacket);
        }

        var keepAlive = r.ReadUInt16();
        var props = version == MqttProtocolVersion.V500 ? MqttProperties.Read(ref r, Allowed, "CONNECT") : new MqttProperties();
        var clientId = r.ReadString();
        MqttMessage? will = null;
        uint? willDelay = null;
        if (hasWill)
        {
            var willProps = version == MqttProtocolVersion.V500 ? MessageProperties.Read(ref r, isWill: true) : default;
            var topic = r.ReadString();
            var payload = r.ReadBinary();
            will = willProps.Build(topic, payload, (MqttQualityOfService)willQos, (flags & WillRetainFlag) != 0);
            willDelay = willProps.WillDelayInterval;
        }

        var userName = (flags & UserNameFlag) != 0 ? r.ReadString() : null;
        var password = (flags & PasswordFlag) != 0 ? r.ReadBinary() : null;
        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & CleanStartFlag) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
            WillDelayInterval = willDelay,
            Properties = props,
        };
    }
}
