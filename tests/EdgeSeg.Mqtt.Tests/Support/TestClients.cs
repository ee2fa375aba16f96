using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>Client options for tests: short keep-alive and reconnect delays so fault tests finish in seconds.</summary>
internal static class TestClients
{
    public static MqttClientOptions Options(MosquittoBroker broker, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null) =>
        Options(broker.Host, broker.Port, version, clientId);

    public static MqttClientOptions Options(ITestBroker broker, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null) =>
        Options(broker.Host, broker.Port, version, clientId);

    public static MqttClientOptions Options(string host, int port, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null) => new()
    {
        Endpoints = [new MqttEndpoint(host, port)],
        ProtocolVersion = version,
        ClientId = clientId ?? "t-" + Guid.NewGuid().ToString("N")[..10],
        KeepAlive = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    public static async Task<MqttClient> StartAsync(MqttClientOptions options, MessageCollector? collector = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var client = new MqttClient(options, logger);
        if (collector is not null)
        {
            client.MessageReceived = collector.Handler;
        }

        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return client;
    }
}
