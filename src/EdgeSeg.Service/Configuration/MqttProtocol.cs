namespace EdgeSeg.Service.Configuration;

/// <summary>The MQTT protocol version (<c>Mqtt:ProtocolVersion</c>).</summary>
internal enum MqttProtocol
{
    /// <summary>MQTT 3.1.1.</summary>
    V311,

    /// <summary>MQTT 5.0 (the default).</summary>
    V500,
}
