namespace EdgeSeg.Mqtt;

/// <summary>An MQTT 5 user property: a UTF-8 name/value pair. Names may repeat; order is kept on the wire.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The property value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
