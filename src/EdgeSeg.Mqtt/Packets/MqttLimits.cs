namespace EdgeSeg.Mqtt.Packets;

/// <summary>Numeric limits of the protocol.</summary>
internal static class MqttLimits
{
    /// <summary>The largest variable byte integer (four bytes).</summary>
    public const int MaxVarInt = 268_435_455;

    /// <summary>The largest packet: one fixed header byte, four length bytes, the largest remaining length.</summary>
    public const int MaxPacketSize = MaxVarInt + 5;
}
