namespace EdgeSeg.Mqtt.Framing;

/// <summary>One packet as it came off the wire: the fixed header byte and the body. The body is valid only until the next read.</summary>
/// <param name="Header">The first byte: packet type and flags.</param>
/// <param name="Body">The remaining-length bytes.</param>
internal readonly record struct MqttFrame(byte Header, ReadOnlyMemory<byte> Body);
