using System.Security.Cryptography;
using System.Text;
using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>Our client against mosquitto's own command-line clients.</summary>
public sealed class MosquittoInteropTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311, "mqttv311")]
    [InlineData(MqttProtocolVersion.V500, "mqttv5")]
    public async Task MessageReceived_MosquittoPubSends_PayloadAndPropertiesArrive(MqttProtocolVersion version, string cliVersion)
    {
        var collector = new MessageCollector();
        await using var client = await TestClients.StartAsync(TestClients.Options(_broker, version), collector);
        await client.SubscribeAsync([new MqttSubscription("interop/in/#")]);
        var args = new List<string> { "-h", _broker.Host, "-p", _broker.Port.ToString(), "-V", cliVersion, "-q", "1", "-t", "interop/in/a", "-m", "héllo" };
        if (version == MqttProtocolVersion.V500)
        {
            args.AddRange(["-D", "publish", "content-type", "text/plain", "-D", "publish", "user-property", "frame", "12"]);
        }

        var (exit, _, stderr) = await CommandLine.RunAsync("mosquitto_pub", TimeSpan.FromSeconds(10), [.. args]);
        Assert.True(exit == 0, stderr);
        await collector.WaitForCountAsync("interop/in/a", 1);
        var got = collector.On("interop/in/a")[0];
        Assert.Equal("héllo", Encoding.UTF8.GetString(got.Payload.Span));
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal("text/plain", got.ContentType);
            Assert.Equal("12", got.GetUserProperty("frame"));
        }
    }

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PublishAsync_MosquittoSubReceives_BinaryPayloadByteForByte(MqttProtocolVersion version)
    {
        var payload = RandomNumberGenerator.GetBytes(30_000);
        using var sub = CommandLine.Start("mosquitto_sub", "-h", _broker.Host, "-p", _broker.Port.ToString(), "-t", "interop/out", "-C", "1", "-N", "-q", "1");
        using var stdout = new MemoryStream();
        var copy = sub.StandardOutput.BaseStream.CopyToAsync(stdout);
        await using var client = await TestClients.StartAsync(TestClients.Options(_broker, version));

        // mosquitto_sub subscribes asynchronously: publish retained so it gets the message whenever it has subscribed.
        await client.PublishAsync(new MqttMessage("interop/out", payload) { QualityOfService = MqttQualityOfService.AtLeastOnce, Retain = true });
        await sub.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await copy;
        Assert.Equal(payload, stdout.ToArray());
    }
}
