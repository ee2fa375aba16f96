namespace EdgeSeg.Mqtt;

/// <summary>MQTT 5 payload format indicator (property 0x01).</summary>
public enum MqttPayloadFormat : byte
{
    /// <summary>Unspecified bytes.</summary>
    Bytes = 0,

    /// <summary>UTF-8 encoded character data.</summary>
    Utf8 = 1,
}
