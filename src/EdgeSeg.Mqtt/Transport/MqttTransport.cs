using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSeg.Mqtt.Transport;

/// <summary>Opens the byte stream under a connection: TCP, optionally wrapped in TLS. The caller disposes the stream.</summary>
internal static class MqttTransport
{
    public static async Task<Stream> ConnectAsync(MqttEndpoint endpoint, MqttTlsOptions? tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (!endpoint.UseTls)
            {
                return stream;
            }

            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(CreateTlsOptions(endpoint, tls ?? new MqttTlsOptions()), cancellationToken);
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }

            return ssl;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SslClientAuthenticationOptions CreateTlsOptions(MqttEndpoint endpoint, MqttTlsOptions tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.ServerName ?? endpoint.Host,
            EnabledSslProtocols = tls.Protocols,
        };

        if (tls.ClientCertificateFile is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile);
            options.ClientCertificates = [certificate];
        }

        if (tls.CaFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tls.CaFile);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }
}
