using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>TLS against mosquitto's TLS listener with a CA and certificates the fixture made with openssl.</summary>
public sealed class MqttClientTlsTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private MqttClientOptions Options(MqttTlsOptions tls, MqttProtocolVersion version = MqttProtocolVersion.V500) => new()
    {
        Endpoints = [new MqttEndpoint("localhost", _broker.TlsPort!.Value, UseTls: true)],
        ProtocolVersion = version,
        Tls = tls,
        ClientId = "tls-" + Guid.NewGuid().ToString("N")[..8],
        ConnectTimeout = TimeSpan.FromSeconds(3),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PublishAsync_OverMutualTlsWithTestCa_RoundTrips(MqttProtocolVersion version)
    {
        var certs = _broker.Certificates!;
        var tls = new MqttTlsOptions { CaFile = certs.CaCertificate, ClientCertificateFile = certs.ClientCertificate, ClientKeyFile = certs.ClientKey };
        var collector = new MessageCollector();
        await using var client = await TestClients.StartAsync(Options(tls, version), collector);
        await client.SubscribeAsync([new MqttSubscription("tls/echo")]);
        await client.PublishAsync(new MqttMessage("tls/echo", new byte[] { 1, 2, 3 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await collector.WaitForCountAsync("tls/echo", 1);
        Assert.Equal(new byte[] { 1, 2, 3 }, collector.On("tls/echo")[0].Payload.ToArray());
    }

    [MosquittoFact]
    public async Task StartAsync_ServerNameNotInCertificate_NeverConnects()
    {
        var certs = _broker.Certificates!;
        var logger = new ListLogger();
        var tls = new MqttTlsOptions { CaFile = certs.CaCertificate, ClientCertificateFile = certs.ClientCertificate, ClientKeyFile = certs.ClientKey, ServerName = "wrong.example" };
        await using var client = new MqttClient(Options(tls), logger);
        await client.StartAsync();
        await logger.WaitForLineAsync(l => l.Contains("connect to mqtts://localhost", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        Assert.False(client.IsConnected);
        Assert.True(client.Statistics.ConnectFailures >= 1);
    }

    [MosquittoFact]
    public async Task StartAsync_BrokerSignedByAnotherCa_NeverConnects()
    {
        var other = TestCertificates.Create(Path.Combine(_broker.Directory, "other-ca"));
        var certs = _broker.Certificates!;
        var logger = new ListLogger();
        var tls = new MqttTlsOptions { CaFile = other.CaCertificate, ClientCertificateFile = certs.ClientCertificate, ClientKeyFile = certs.ClientKey };
        await using var client = new MqttClient(Options(tls), logger);
        await client.StartAsync();
        await logger.WaitForLineAsync(l => l.Contains("failed", StringComparison.Ordinal));
        Assert.False(client.IsConnected);
    }
}
