using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>What an application's message handler does never holds the connection: it keeps reading, acknowledging and pinging.</summary>
public sealed class MqttClientDeliveryTests
{
    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task MessageReceived_HandlerBlocksForSeveralKeepAlives_ConnectionKeepsPingingAndAcknowledging(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = new MessageCollector();
        var options = TestClients.Options(broker, version);
        await using var client = new MqttClient(new MqttClientOptions
        {
            Endpoints = options.Endpoints,
            ProtocolVersion = version,
            ClientId = options.ClientId,
            KeepAlive = TimeSpan.FromSeconds(1),
            ConnectTimeout = options.ConnectTimeout,
            ReconnectMinDelay = options.ReconnectMinDelay,
            ReconnectMaxDelay = options.ReconnectMaxDelay,
        })
        {
            MessageReceived = async (message, ct) =>
            {
                if (message.Topic == "slow/cmd")
                {
                    // A handler stuck as a reload of a FIFO or a TensorRT build would be.
                    entered.TrySetResult();
                    await release.Task;
                }

                await collector.Handler(message, ct);
            },
        };
        await client.StartAsync();
        await client.SubscribeAsync([new MqttSubscription("slow/#", MqttQualityOfService.AtLeastOnce)]);
        await using var sender = await TestClients.StartAsync(TestClients.Options(broker, version));
        await sender.PublishAsync(new MqttMessage("slow/cmd", new byte[] { 1 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // While the handler holds on, PINGRESPs keep being read (the only round trips recorded once connected): wait
        // for one answered more than two keep-alives after the handler blocked; then a QoS 1 publish of our own is
        // acknowledged, which needs its PUBACK read from the socket too.
        var blocked = DateTimeOffset.UtcNow;
        await WaitUntilAsync(() => client.Session.LastRoundTrip > blocked + TimeSpan.FromSeconds(2.5));
        await client.PublishAsync(new MqttMessage("own/x", new byte[] { 1 }) { QualityOfService = MqttQualityOfService.AtLeastOnce })
            .WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(release.Task.IsCompleted);

        Assert.Equal(0, client.Statistics.SilentConnections);
        Assert.Equal(1, client.Statistics.Connects);
        Assert.True(client.IsConnected);

        // Once the handler returns, the queued messages are delivered in order.
        await sender.PublishAsync(new MqttMessage("slow/after", new byte[] { 2 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        release.TrySetResult();
        await collector.WaitForCountAsync("slow/after", 1);
        Assert.Equal(["slow/cmd", "slow/after"], collector.Messages.Select(m => m.Topic));
        Assert.Equal(1, client.Statistics.Connects);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(20);
        }
    }
}
