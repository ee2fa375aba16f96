using System.Diagnostics.CodeAnalysis;

namespace EdgeSeg.Mqtt.Packets;

/// <summary>
/// The MQTT 5 properties of a non-PUBLISH packet (PUBLISH and will properties live on <see cref="MqttMessage"/>).
/// A mutable bag: decoders fill it, encoders write what is set, in identifier order.
/// </summary>
internal sealed class MqttProperties
{
    public uint? SessionExpiryInterval { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    public ushort? ServerKeepAlive { get; set; }

    public string? AuthenticationMethod { get; set; }

    public byte[]? AuthenticationData { get; set; }

    public byte? RequestProblemInformation { get; set; }

    public uint? WillDelayInterval { get; set; }

    public byte? RequestResponseInformation { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public byte? MaximumQoS { get; set; }

    public byte? RetainAvailable { get; set; }

    public uint? MaximumPacketSize { get; set; }

    public byte? WildcardSubscriptionAvailable { get; set; }

    public byte? SubscriptionIdentifierAvailable { get; set; }

    public byte? SharedSubscriptionAvailable { get; set; }

    public uint? SubscriptionIdentifier { get; set; }

    [SuppressMessage("Design", "CA1002:Do not expose generic lists", Justification = "Internal mutable bag.")]
    public List<MqttUserProperty> UserProperties { get; } = [];

    /// <summary>Bytes of the property block without its length prefix.</summary>
    public int ContentSize()
    {
        var size = 0;
        size += SizeOf(SessionExpiryInterval, 4);
        size += SizeOf(AssignedClientIdentifier);
        size += SizeOf(ServerKeepAlive, 2);
        size += SizeOf(AuthenticationMethod);
        size += AuthenticationData is null ? 0 : 3 + AuthenticationData.Length;
        size += SizeOf(RequestProblemInformation, 1);
        size += SizeOf(WillDelayInterval, 4);
        size += SizeOf(RequestResponseInformation, 1);
        size += SizeOf(ResponseInformation);
        size += SizeOf(ServerReference);
        size += SizeOf(ReasonString);
        size += SizeOf(ReceiveMaximum, 2);
        size += SizeOf(TopicAliasMaximum, 2);
        size += SizeOf(MaximumQoS, 1);
        size += SizeOf(RetainAvailable, 1);
        size += SizeOf(MaximumPacketSize, 4);
        size += SizeOf(WildcardSubscriptionAvailable, 1);
        size += SizeOf(SubscriptionIdentifierAvailable, 1);
        size += SizeOf(SharedSubscriptionAvailable, 1);
        size += SubscriptionIdentifier is { } id ? 1 + MqttWriter.VarIntSize((int)id) : 0;
        foreach (var p in UserProperties)
        {
            size += 1 + MqttWriter.StringSize(p.Name) + MqttWriter.StringSize(p.Value);
        }

        return size;
    }

    /// <summary>Bytes of the property block including its length prefix.</summary>
    public int BlockSize()
    {
        var content = ContentSize();
        return MqttWriter.VarIntSize(content) + content;
    }

    public void Write(ref MqttWriter w)
    {
        w.WriteVarInt(ContentSize());
        if (SubscriptionIdentifier is { } subId)
        {
            w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
            w.WriteVarInt((int)subId);
        }

        WriteUInt32(ref w, MqttPropertyId.SessionExpiryInterval, SessionExpiryInterval);
        WriteString(ref w, MqttPropertyId.AssignedClientIdentifier, AssignedClientIdentifier);
        WriteUInt16(ref w, MqttPropertyId.ServerKeepAlive, ServerKeepAlive);
        WriteString(ref w, MqttPropertyId.AuthenticationMethod, AuthenticationMethod);
        if (AuthenticationData is not null)
        {
            w.WriteByte((byte)MqttPropertyId.AuthenticationData);
            w.WriteBinary(AuthenticationData);
        }

        WriteByte(ref w, MqttPropertyId.RequestProblemInformation, RequestProblemInformation);
        WriteUInt32(ref w, MqttPropertyId.WillDelayInterval, WillDelayInterval);
        WriteByte(ref w, MqttPropertyId.RequestResponseInformation, RequestResponseInformation);
        WriteString(ref w, MqttPropertyId.ResponseInformation, ResponseInformation);
        WriteString(ref w, MqttPropertyId.ServerReference, ServerReference);
        WriteString(ref w, MqttPropertyId.ReasonString, ReasonString);
        WriteUInt16(ref w, MqttPropertyId.ReceiveMaximum, ReceiveMaximum);
        WriteUInt16(ref w, MqttPropertyId.TopicAliasMaximum, TopicAliasMaximum);
        WriteByte(ref w, MqttPropertyId.MaximumQoS, MaximumQoS);
        WriteByte(ref w, MqttPropertyId.RetainAvailable, RetainAvailable);
        WriteUInt32(ref w, MqttPropertyId.MaximumPacketSize, MaximumPacketSize);
        WriteByte(ref w, MqttPropertyId.WildcardSubscriptionAvailable, WildcardSubscriptionAvailable);
        WriteByte(ref w, MqttPropertyId.SubscriptionIdentifierAvailable, SubscriptionIdentifierAvailable);
        WriteByte(ref w, MqttPropertyId.SharedSubscriptionAvailable, SharedSubscriptionAvailable);
        foreach (var p in UserProperties)
        {
            w.WriteByte((byte)MqttPropertyId.UserProperty);
            w.WriteString(p.Name);
            w.WriteString(p.Value);
        }
    }

    /// <summary>
    /// Reads a property block (length prefix first), accepting only the identifiers in <paramref name="allowed"/>;
    /// an unknown, disallowed or repeated property is a protocol error.
    /// </summary>
    public static MqttProperties Read(ref MqttReader r, ReadOnlySpan<MqttPropertyId> allowed, string packetName)
    {
        var props = new MqttProperties();
        var length = r.ReadVarInt();
        var block = new MqttReader(r.ReadBytes(length));
        ulong seen = 0;
        while (!block.AtEnd)
        {
            var id = block.ReadPropertyId();
            if (!allowed.Contains(id))
            {
                throw new MqttProtocolException($"Property 0x{(int)id:x2} is not allowed in {packetName}.", MqttReasonCode.ProtocolError);
            }

            if (id != MqttPropertyId.UserProperty)
            {
                var bit = 1UL << (int)id;
                if ((seen & bit) != 0)
                {
                    throw new MqttProtocolException($"Property 0x{(int)id:x2} appears twice in {packetName}.", MqttReasonCode.ProtocolError);
                }

                seen |= bit;
            }

            props.ReadOne(ref block, id);
        }

        return props;
    }

    private void ReadOne(ref MqttReader r, MqttPropertyId id)
    {
        switch (id)
        {
            case MqttPropertyId.SessionExpiryInterval: SessionExpiryInterval = r.ReadUInt32(); break;
            case MqttPropertyId.AssignedClientIdentifier: AssignedClientIdentifier = r.ReadString(); break;
            case MqttPropertyId.ServerKeepAlive: ServerKeepAlive = r.ReadUInt16(); break;
            case MqttPropertyId.AuthenticationMethod: AuthenticationMethod = r.ReadString(); break;
            case MqttPropertyId.AuthenticationData: AuthenticationData = r.ReadBinary(); break;
            case MqttPropertyId.RequestProblemInformation: RequestProblemInformation = ReadFlag(ref r, id); break;
            case MqttPropertyId.WillDelayInterval: WillDelayInterval = r.ReadUInt32(); break;
            case MqttPropertyId.RequestResponseInformation: RequestResponseInformation = ReadFlag(ref r, id); break;
            case MqttPropertyId.ResponseInformation: ResponseInformation = r.ReadString(); break;
            case MqttPropertyId.ServerReference: ServerReference = r.ReadString(); break;
            case MqttPropertyId.ReasonString: ReasonString = r.ReadString(); break;
            case MqttPropertyId.ReceiveMaximum:
                ReceiveMaximum = r.ReadUInt16();
                if (ReceiveMaximum == 0)
                {
                    throw new MqttProtocolException("Receive Maximum of 0 is a protocol error.", MqttReasonCode.ProtocolError);
                }

                break;
            case MqttPropertyId.TopicAliasMaximum: TopicAliasMaximum = r.ReadUInt16(); break;
            case MqttPropertyId.MaximumQoS: MaximumQoS = ReadFlag(ref r, id); break;
            case MqttPropertyId.RetainAvailable: RetainAvailable = ReadFlag(ref r, id); break;
            case MqttPropertyId.MaximumPacketSize:
                MaximumPacketSize = r.ReadUInt32();
                if (MaximumPacketSize == 0)
                {
                    throw new MqttProtocolException("Maximum Packet Size of 0 is a protocol error.", MqttReasonCode.ProtocolError);
                }

                break;
            case MqttPropertyId.WildcardSubscriptionAvailable: WildcardSubscriptionAvailable = ReadFlag(ref r, id); break;
            case MqttPropertyId.SubscriptionIdentifierAvailable: SubscriptionIdentifierAvailable = ReadFlag(ref r, id); break;
            case MqttPropertyId.SharedSubscriptionAvailable: SharedSubscriptionAvailable = ReadFlag(ref r, id); break;
            case MqttPropertyId.SubscriptionIdentifier:
                SubscriptionIdentifier = (uint)r.ReadVarInt();
                if (SubscriptionIdentifier == 0)
                {
                    throw new MqttProtocolException("Subscription Identifier of 0 is a protocol error.", MqttReasonCode.ProtocolError);
                }

                break;
            case MqttPropertyId.UserProperty: UserProperties.Add(new MqttUserProperty(r.ReadString(), r.ReadString())); break;
            default:
                throw new MqttProtocolException($"Property 0x{(int)id:x2} is not allowed here.", MqttReasonCode.ProtocolError);
        }
    }

    private static byte ReadFlag(ref MqttReader r, MqttPropertyId id)
    {
        var value = r.ReadByte();
        if (value > 1)
        {
            throw new MqttProtocolException($"Property 0x{(int)id:x2} must be 0 or 1, not {value}.", MqttReasonCode.ProtocolError);
        }

        return value;
    }

    private static int SizeOf<T>(T? value, int bytes)
        where T : struct => value.HasValue ? 1 + bytes : 0;

    private static int SizeOf(string? value) => value is null ? 0 : 1 + MqttWriter.StringSize(value);

    private static void WriteByte(ref MqttWriter w, MqttPropertyId id, byte? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteByte(v);
        }
    }

    private static void WriteUInt16(ref MqttWriter w, MqttPropertyId id, ushort? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32(ref MqttWriter w, MqttPropertyId id, uint? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteString(ref MqttWriter w, MqttPropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }
}
