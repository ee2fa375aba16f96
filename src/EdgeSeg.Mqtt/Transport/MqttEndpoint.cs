namespace EdgeSeg.Mqtt;

/// <summary>One broker address. A client given several tries them in turn (a clustered broker behind several addresses).</summary>
/// <param name="Host">Host name or IP address.</param>
/// <param name="Port">TCP port (1883 plain, 8883 TLS by convention).</param>
/// <param name="UseTls">Whether to speak TLS on this endpoint (configured by <see cref="MqttClientOptions.Tls"/>).</param>
public sealed record MqttEndpoint(string Host, int Port = 1883, bool UseTls = false)
{
    /// <inheritdoc />
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
