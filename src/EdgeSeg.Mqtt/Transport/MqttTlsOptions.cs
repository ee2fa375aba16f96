using System.Security.Authentication;

namespace EdgeSeg.Mqtt;

/// <summary>TLS settings for endpoints with <see cref="MqttEndpoint.UseTls"/>.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>
    /// PEM file of the certificate authority (or authorities) that signed the broker's certificate. When set, only
    /// these roots are trusted; when null, the system trust store is used.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>PEM file of the client certificate for mutual TLS; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM file of the client certificate's private key.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>The name the broker's certificate must carry (SNI and validation); the endpoint host when null.</summary>
    public string? ServerName { get; init; }

    /// <summary>Allowed protocol versions; TLS 1.2 and 1.3 by default.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
