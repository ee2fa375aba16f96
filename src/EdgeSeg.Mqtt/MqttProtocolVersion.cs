namespace EdgeSeg.Mqtt;

/// <summary>The MQTT protocol revision a client speaks; the value is the CONNECT protocol level byte.</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1 (OASIS standard, 2014).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (OASIS standard, 2019): properties, reason codes, flow control, topic aliases.</summary>
    V500 = 5,
}
