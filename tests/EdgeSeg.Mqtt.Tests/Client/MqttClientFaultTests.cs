using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>Brokers that go away, never answer, go silent, or break the protocol.</summary>
public sealed class MqttClientFaultTests
{
    private static MqttMessage Numbered(string topic, int i) =>
        new(topic, BitConverter.GetBytes(i)) { QualityOfService = MqttQualityOfService.AtLeastOnce };

    private static List<int> Numbers(MessageCollector collector, string topic) =>
        [.. collector.On(topic).Select(m => BitConverter.ToInt32(m.Payload.Span))];

    private static string NewQueueDirectory() => Path.Combine(Path.GetTempPath(), "edgeseg-mqtt-queue-" + Guid.NewGuid().ToString("N")[..10]);

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task DiskOutbox_BrokerDiesWithPublishesInFlightAndRestarts_DeliversEverythingInOrder(MqttProtocolVersion version)
    {
        const int total = 300;
        const int beforeFreeze = 100;
        // Below the broker's receive maximum (mosquitto's default is 20), so the outbox alone sets the window.
        const int maxInFlight = 16;
        await using var broker = await MosquittoBroker.StartAsync();
        var queue = NewQueueDirectory();
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(broker, version), collector);
        // One filter for the data and the probes below, so that one renewed subscription carries both.
        await subscriber.SubscribeAsync([new MqttSubscription("fault/#")]);
        // The publisher waits 2.5-5 s before reconnecting; the test confirms the subscriber (back after 50 ms) has
        // renewed its subscription on the restarted broker (which keeps no sessions) before the queue drains.
        var publisherOptions = TestClients.Options(broker, version);
        await using var publisher = await TestClients.StartAsync(new MqttClientOptions
        {
            Endpoints = publisherOptions.Endpoints,
            ProtocolVersion = version,
            ClientId = publisherOptions.ClientId,
            KeepAlive = publisherOptions.KeepAlive,
            ReconnectMinDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(6),
        });
        var outbox = publisher.CreateOutbox(new MqttOutboxOptions { Name = "metrics", OfflinePolicy = MqttOfflinePolicy.DiskQueue, QueueDirectory = queue, MaxInFlight = maxInFlight });

        for (var i = 0; i < beforeFreeze; i++)
        {
            Assert.True(outbox.TryEnqueue(Numbered("fault/metrics", i)));
        }

        // A broker without persistence loses what it acknowledged but had not yet delivered (QoS 1 deliveries beyond
        // a subscriber's in-flight window wait in its memory), which no client can help. So the broker is frozen only
        // once the subscriber has everything so far; from then on it acknowledges nothing, and the publisher's next
        // window of publishes is written to the socket and left unacknowledged when the broker is killed.
        await collector.WaitForAsync(_ => Numbers(collector, "fault/metrics").Count >= beforeFreeze);
        broker.Freeze();
        for (var i = beforeFreeze; i < total; i++)
        {
            Assert.True(outbox.TryEnqueue(Numbered("fault/metrics", i)));
        }

        await WaitUntilAsync(() => publisher.Statistics.Published >= beforeFreeze + maxInFlight);
        await broker.KillAsync();
        Assert.Equal(total - beforeFreeze, outbox.QueueDepth);
        await broker.StartAsync();

        // The broker lost the subscriber's session (no persistence): the client renews its subscription itself. A probe
        // from a third client arriving shows it has, while the publisher is still waiting to reconnect.
        await using (var prober = await TestClients.StartAsync(TestClients.Options(broker, version)))
        {
            for (var attempt = 0; collector.On("fault/probe").Count == 0; attempt++)
            {
                Assert.True(attempt < 40, "the subscriber did not renew its subscription within 4 s of the broker's restart");
                await prober.PublishAsync(new MqttMessage("fault/probe", new byte[] { 1 }));
                await Task.Delay(100);
            }
        }

        Assert.True(outbox.QueueDepth > 0, "the publisher drained its queue before the subscriber was back: raise its reconnect delay");
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await collector.WaitForAsync(_ => Numbers(collector, "fault/metrics").Distinct().Count() == total);

        // The window written to the frozen broker went again on the new connection, under its old packet identifiers.
        Assert.Equal(maxInFlight, publisher.Statistics.Resent);

        // At least once: a message may arrive twice, but none is missing and first arrivals keep the publishing order.
        Assert.Equal(Enumerable.Range(0, total), Numbers(collector, "fault/metrics").Distinct());
        Assert.Equal(total, outbox.DeliveredCount);
        Assert.Equal(0, outbox.DroppedCount);
        Assert.Equal(0, outbox.QueueDepth);
        Assert.Equal(2, publisher.Statistics.Connects);
        Directory.Delete(queue, true);
    }

    [MosquittoFact]
    public async Task DiskOutbox_BrokerDownWhilePublishing_SubscriberGetsAllInOrderAfterReturn()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var queue = NewQueueDirectory();
        var collector = new MessageCollector();
        await using var publisher = await TestClients.StartAsync(TestClients.Options(broker));
        var outbox = publisher.CreateOutbox(new MqttOutboxOptions { Name = "events", OfflinePolicy = MqttOfflinePolicy.DiskQueue, QueueDirectory = queue });
        await broker.StopAsync();
        for (var i = 0; i < 200; i++)
        {
            outbox.TryEnqueue(Numbered("fault/events", i));
        }

        Assert.Equal(200, outbox.QueueDepth);
        await broker.StartAsync();

        // Subscribe before the publisher's backoff brings it back (its reconnect delay is at most 400 ms).
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(broker), collector);
        await subscriber.SubscribeAsync([new MqttSubscription("fault/events")]);
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await collector.WaitForCountAsync("fault/events", 1);
        var got = Numbers(collector, "fault/events");
        Assert.Equal(got.Order(), got);
        Assert.Equal(200, outbox.DeliveredCount);
        Directory.Delete(queue, true);
    }

    [MosquittoFact]
    public async Task DiskOutbox_PublisherRestartedWhileBrokerDown_NewProcessDeliversQueueInOrder()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var queue = NewQueueDirectory();
        var options = TestClients.Options(broker, clientId: "restarting-publisher");
        var outboxOptions = new MqttOutboxOptions { Name = "metrics", OfflinePolicy = MqttOfflinePolicy.DiskQueue, QueueDirectory = queue, MaxQueuedMessages = 150 };

        await broker.StopAsync();
        await using (var first = new MqttClient(options))
        {
            await first.StartAsync();
            var outbox = first.CreateOutbox(outboxOptions);
            for (var i = 0; i < 200; i++)
            {
                outbox.TryEnqueue(Numbered("restart/metrics", i));
            }

            // Bounded: the first 150 are kept, the rest refused and counted.
            Assert.Equal(150, outbox.QueueDepth);
            Assert.Equal(50, outbox.DroppedCount);
        }

        await broker.StartAsync();
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(broker), collector);
        await subscriber.SubscribeAsync([new MqttSubscription("restart/metrics")]);

        await using var second = new MqttClient(options);
        var recovered = second.CreateOutbox(outboxOptions);
        Assert.Equal(150, recovered.QueueDepth);
        await second.StartAsync();
        await recovered.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await collector.WaitForCountAsync("restart/metrics", 150);
        Assert.Equal(Enumerable.Range(0, 150), Numbers(collector, "restart/metrics"));
        Directory.Delete(queue, true);
    }

    [MosquittoFact]
    public async Task LatestOutbox_BrokerAway_KeepsOnlyNewestPerTopic()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = await TestClients.StartAsync(TestClients.Options(broker));
        var outbox = publisher.CreateOutbox(new MqttOutboxOptions { Name = "mask" });
        await broker.StopAsync();
        await WaitUntilAsync(() => !publisher.IsConnected);
        for (var i = 0; i < 100; i++)
        {
            outbox.TryEnqueue(new MqttMessage("latest/cam0/mask", BitConverter.GetBytes(i)));
            outbox.TryEnqueue(new MqttMessage("latest/cam1/mask", BitConverter.GetBytes(i + 1000)));
        }

        Assert.Equal(2, outbox.QueueDepth);
        Assert.Equal(198, outbox.DroppedCount);
        await broker.StartAsync();
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(broker), collector);
        await subscriber.SubscribeAsync([new MqttSubscription("latest/+/mask")]);
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, outbox.QueueDepth);
        Assert.Equal(2, outbox.DeliveredCount);
    }

    [MosquittoTheory]
    [InlineData(MqttOfflinePolicy.LatestPerTopic)]
    [InlineData(MqttOfflinePolicy.DiskQueue)]
    public async Task Outbox_ClientDisposedWhileBrokerAway_WaitingFlushReturnsAndLaterMessagesAreRefused(MqttOfflinePolicy policy)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var queue = NewQueueDirectory();
        var publisher = await TestClients.StartAsync(TestClients.Options(broker));
        var outbox = publisher.CreateOutbox(new MqttOutboxOptions { Name = "metrics", OfflinePolicy = policy, QueueDirectory = queue });
        await broker.StopAsync();
        await WaitUntilAsync(() => !publisher.IsConnected);
        Assert.True(outbox.TryEnqueue(Numbered("dispose/metrics", 1)));
        var flush = outbox.FlushAsync();
        Assert.False(flush.IsCompleted);

        // A producer (a frame pipeline) may still hand over a frame after the client is gone: refused and counted, no throw.
        await publisher.DisposeAsync();
        await flush.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(outbox.TryEnqueue(Numbered("dispose/metrics", 2)));
        Assert.Equal(1, outbox.DroppedCount);
        Assert.Equal(0, outbox.DeliveredCount);
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (Directory.Exists(queue))
        {
            Directory.Delete(queue, true);
        }
    }

    [MosquittoFact]
    public async Task StartAsync_FirstEndpointAcceptsTcpAndNeverAnswers_TimesOutAndUsesNextEndpoint()
    {
        await using var silent = new ScriptedServer([]);
        await using var broker = await MosquittoBroker.StartAsync();
        var logger = new ListLogger();
        var options = new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", silent.Port), new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "two-endpoints",
            ConnectTimeout = TimeSpan.FromSeconds(1),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        };
        await using var client = await TestClients.StartAsync(options, logger: logger);
        Assert.Equal(broker.Port, client.ConnectedEndpoint!.Port);
        Assert.Equal(1, client.Statistics.ConnectFailures);
        Assert.Contains(logger.Lines, l => l.Text.Contains("accepted TCP but sent no CONNACK", StringComparison.Ordinal));
        Assert.Equal(1, silent.Connections);
    }

    [MosquittoFact]
    public async Task KeepAlive_HalfOpenConnection_IsDetectedAndReplaced()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = new TcpProxy(broker.Port);
        var logger = new ListLogger();
        var options = new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", proxy.Port)],
            ClientId = "half-open",
            KeepAlive = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        };
        await using var client = await TestClients.StartAsync(options, logger: logger);
        proxy.Freeze();

        // A QoS 1 publish into the frozen connection is held in the session and resent on the replacement (or,
        // on a slow machine where the replacement came first, sent there): either way it is acknowledged.
        var acknowledged = await client.SendPublishAsync(Numbered("halfopen/x", 1));
        await logger.WaitForLineAsync(l => l.Contains("is silent: no PINGRESP", StringComparison.Ordinal));
        await acknowledged.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, client.Statistics.SilentConnections);
        Assert.Equal(2, proxy.Accepted);
        Assert.Equal(2, client.Statistics.Connects);
    }

    [Theory]
    [InlineData(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00 }, "Packet type 0 is reserved")]
    [InlineData(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00, 0x20, 0x03, 0x00, 0x00, 0x00 }, "CONNACK, which a server never sends")]
    [InlineData(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00, 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "remaining length")]
    [InlineData(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00, 0x40, 0x02, 0x00, 0x00 }, "packet identifier 0")]
    public async Task ReadLoop_BrokerBreaksProtocol_LogsAndReconnectsWithoutCrashing(byte[] script, string expected)
    {
        await using var server = new ScriptedServer(script);
        var logger = new ListLogger();
        var options = new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", server.Port)],
            ClientId = "violations",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        await using var client = new MqttClient(options, logger);
        await client.StartAsync();
        await logger.WaitForLineAsync(l => l.Contains("protocol violation", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal));
        await WaitUntilAsync(() => server.Connections >= 2);
        Assert.True(client.Statistics.ProtocolViolations >= 1);
    }

    [Fact]
    public async Task StartAsync_BrokerRefusesConnection_LogsReasonAndBacksOff()
    {
        // CONNACK (5.0) with reason 0x87 Not authorized.
        await using var server = new ScriptedServer([0x20, 0x03, 0x00, 0x87, 0x00]);
        var logger = new ListLogger();
        var options = new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", server.Port)],
            ClientId = "refused",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        await using var client = new MqttClient(options, logger);
        await client.StartAsync();
        await logger.WaitForLineAsync(l => l.Contains("refused the connection: NotAuthorized", StringComparison.Ordinal));
        await logger.WaitForLineAsync(l => l.Contains("retrying in", StringComparison.Ordinal));
        Assert.False(client.IsConnected);
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
