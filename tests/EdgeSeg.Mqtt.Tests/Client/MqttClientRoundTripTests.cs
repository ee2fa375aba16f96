using System.Text;
using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>
/// Our client's conformance tests, run once per broker implementation (<see cref="MosquittoRoundTripTests"/>,
/// <see cref="MqttNetServerRoundTripTests"/>): connect and session present, QoS 0/1/2 on both protocol versions,
/// MQTT 5 properties, retained and will messages, keep-alive, and the broker's receive maximum, topic alias maximum and
/// maximum packet size. What a broker lacks is listed in <see cref="Lacks"/>, and the test of that feature then checks
/// that the broker refuses it plainly (rather than being skipped).
/// </summary>
public abstract class MqttClientRoundTripTests : IAsyncLifetime
{
    private ITestBroker _broker = null!;

    /// <summary>Features of the protocol this broker does not implement.</summary>
    internal abstract BrokerFeatures Lacks { get; }

    public async Task InitializeAsync() => _broker = await StartBrokerAsync(new BrokerLimits { TopicAliasMaximum = 4 });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    /// <summary>Starts a fresh broker of this implementation that announces <paramref name="limits"/>.</summary>
    internal abstract Task<ITestBroker> StartBrokerAsync(BrokerLimits limits);

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce)]
    public async Task PublishAsync_SubscribedClient_ReceivesPayloadInOrder(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(_broker, version), collector);
        var granted = await subscriber.SubscribeAsync([new MqttSubscription("rt/+/data", MqttQualityOfService.ExactlyOnce)]);
        Assert.Equal([MqttReasonCode.GrantedQoS2], granted);
        await using var publisher = await TestClients.StartAsync(TestClients.Options(_broker, version));

        for (var i = 0; i < 50; i++)
        {
            await publisher.PublishAsync(new MqttMessage("rt/x/data", Encoding.UTF8.GetBytes($"m{i}")) { QualityOfService = qos });
        }

        await collector.WaitForCountAsync("rt/x/data", 50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), collector.On("rt/x/data").Select(m => Encoding.UTF8.GetString(m.Payload.Span)));
        Assert.All(collector.Messages, m => Assert.Equal(qos, m.QualityOfService));
        Assert.Equal(qos == MqttQualityOfService.AtMostOnce ? 0 : 50, publisher.Statistics.Acknowledged);
        Assert.Equal(0, publisher.InFlightCount);
    }

    [MosquittoFact]
    public async Task PublishAsync_Mqtt5Properties_ArriveUnchanged()
    {
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(_broker), collector);
        await subscriber.SubscribeAsync([new MqttSubscription("props/#")]);
        await using var publisher = await TestClients.StartAsync(TestClients.Options(_broker));

        await publisher.PublishAsync(new MqttMessage("props/a", new byte[] { 0x89, 0x50, 0x4E, 0x47 })
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ContentType = "image/png",
            MessageExpiryInterval = 120,
            PayloadFormat = MqttPayloadFormat.Bytes,
            UserProperties = [new("frame", "17"), new("width", "480"), new("height", "360")],
        });

        await collector.WaitForCountAsync("props/a", 1);
        var got = collector.On("props/a")[0];
        Assert.Equal("image/png", got.ContentType);
        // MQTT 5.0, 3.3.2.3.2: indicator 0 (bytes) "is equivalent to not sending a Payload Format Indicator":
        // mosquitto forwards the 0, MQTTnet.Server leaves the property out.
        Assert.Equal(MqttPayloadFormat.Bytes, got.PayloadFormat ?? MqttPayloadFormat.Bytes);
        Assert.InRange(got.MessageExpiryInterval!.Value, 115u, 120u);
        Assert.Equal([new("frame", "17"), new("width", "480"), new("height", "360")], got.UserProperties!);
    }

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task SubscribeAsync_RetainedMessage_IsDeliveredToLateSubscriberWithRetainFlag(MqttProtocolVersion version)
    {
        var topic = $"retained/{version}";
        await using (var publisher = await TestClients.StartAsync(TestClients.Options(_broker, version)))
        {
            await publisher.PublishAsync(new MqttMessage(topic, "online"u8.ToArray()) { Retain = true, QualityOfService = MqttQualityOfService.AtLeastOnce });
        }

        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(_broker, version), collector);
        await subscriber.SubscribeAsync([new MqttSubscription(topic)]);
        await collector.WaitForCountAsync(topic, 1);
        Assert.True(collector.On(topic)[0].Retain);
        Assert.Equal("online", Encoding.UTF8.GetString(collector.On(topic)[0].Payload.Span));
    }

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_ConnectionKilled_IsPublishedByBroker(MqttProtocolVersion version)
    {
        var topic = $"will/{version}/status";
        var collector = new MessageCollector();
        await using var watcher = await TestClients.StartAsync(TestClients.Options(_broker, version), collector);
        await watcher.SubscribeAsync([new MqttSubscription(topic)]);

        var options = TestClients.Options(_broker, version);
        var withWill = new MqttClientOptions
        {
            Endpoints = options.Endpoints,
            ProtocolVersion = version,
            ClientId = options.ClientId,
            KeepAlive = options.KeepAlive,
            ReconnectMinDelay = TimeSpan.FromSeconds(30),
            Will = new MqttMessage(topic, "{\"state\":\"offline\"}"u8.ToArray())
            {
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                ContentType = version == MqttProtocolVersion.V500 ? "application/json" : null,
            },
        };
        await using var dying = await TestClients.StartAsync(withWill);
        dying.AbortConnection("test kills the connection");

        await collector.WaitForCountAsync(topic, 1);
        var will = collector.On(topic)[0];
        Assert.Equal("{\"state\":\"offline\"}", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Equal(version == MqttProtocolVersion.V500 ? "application/json" : null, will.ContentType);
    }

    [MosquittoFact]
    public async Task StopAsync_NormalDisconnect_DoesNotPublishWill()
    {
        const string Topic = "will/clean/status";
        var collector = new MessageCollector();
        await using var watcher = await TestClients.StartAsync(TestClients.Options(_broker), collector);
        await watcher.SubscribeAsync([new MqttSubscription("will/clean/#")]);
        var options = TestClients.Options(_broker);
        var client = await TestClients.StartAsync(new MqttClientOptions
        {
            Endpoints = options.Endpoints,
            ClientId = options.ClientId,
            Will = new MqttMessage(Topic, "offline"u8.ToArray()),
        });
        await client.StopAsync();

        // A marker published after the stop arrives after any will would have: then we know no will came.
        await watcher.PublishAsync(new MqttMessage("will/clean/marker", new byte[] { 1 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await collector.WaitForCountAsync("will/clean/marker", 1);
        Assert.Empty(collector.On(Topic));
    }

    [MosquittoFact]
    public async Task UnsubscribeAsync_AfterUnsubscribe_NothingMoreArrives()
    {
        var collector = new MessageCollector();
        await using var client = await TestClients.StartAsync(TestClients.Options(_broker), collector);
        await client.SubscribeAsync([new MqttSubscription("unsub/a"), new MqttSubscription("unsub/marker")]);
        await client.PublishAsync(new MqttMessage("unsub/a", new byte[] { 1 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await collector.WaitForCountAsync("unsub/a", 1);

        var codes = await client.UnsubscribeAsync(["unsub/a"]);
        Assert.Equal([MqttReasonCode.Success], codes);
        await client.PublishAsync(new MqttMessage("unsub/a", new byte[] { 2 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await client.PublishAsync(new MqttMessage("unsub/marker", new byte[] { 3 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        await collector.WaitForCountAsync("unsub/marker", 1);
        Assert.Single(collector.On("unsub/a"));
    }

    [MosquittoFact]
    public async Task SubscribeAsync_SharedSubscription_SpreadsEachMessageToExactlyOneMember()
    {
        var first = new MessageCollector();
        var second = new MessageCollector();
        await using var a = await TestClients.StartAsync(TestClients.Options(_broker), first);
        await using var b = await TestClients.StartAsync(TestClients.Options(_broker), second);
        if (Lacks.HasFlag(BrokerFeatures.SharedSubscriptions))
        {
            // Listed as lacking: the broker must say so in its SUBACK, not accept the filter and deliver nothing.
            Assert.Equal([MqttReasonCode.SharedSubscriptionsNotSupported], await a.SubscribeAsync([new MqttSubscription("$share/workers/shared/+/metrics")]));
            return;
        }

        await a.SubscribeAsync([new MqttSubscription("$share/workers/shared/+/metrics")]);
        await b.SubscribeAsync([new MqttSubscription("$share/workers/shared/+/metrics")]);
        await using var publisher = await TestClients.StartAsync(TestClients.Options(_broker));
        for (var i = 0; i < 40; i++)
        {
            await publisher.PublishAsync(new MqttMessage("shared/cam0/metrics", BitConverter.GetBytes(i)) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        }

        await Task.WhenAll(
            first.WaitForAsync(_ => first.Messages.Count + second.Messages.Count >= 40),
            second.WaitForAsync(_ => first.Messages.Count + second.Messages.Count >= 40)).WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        var received = first.Messages.Concat(second.Messages).Select(m => BitConverter.ToInt32(m.Payload.Span)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 40), received);
        Assert.NotEmpty(first.Messages);
        Assert.NotEmpty(second.Messages);
    }

    [MosquittoFact]
    public async Task PublishAsync_MoreTopicsThanBrokerTopicAliases_AllArriveOnTheirTopics()
    {
        // The broker allows 4 topic aliases; 10 topics twice over exercise defined, reused and unaliased topics.
        var collector = new MessageCollector();
        await using var subscriber = await TestClients.StartAsync(TestClients.Options(_broker), collector);
        await subscriber.SubscribeAsync([new MqttSubscription("alias/#")]);
        await using var publisher = await TestClients.StartAsync(TestClients.Options(_broker));
        for (var round = 0; round < 2; round++)
        {
            for (var t = 0; t < 10; t++)
            {
                await publisher.PublishAsync(new MqttMessage($"alias/t{t}", Encoding.UTF8.GetBytes($"t{t}")) { QualityOfService = MqttQualityOfService.AtLeastOnce });
            }
        }

        await collector.WaitForAsync(ms => ms.Count >= 20);
        Assert.All(collector.Messages, m => Assert.Equal(m.Topic, "alias/" + Encoding.UTF8.GetString(m.Payload.Span)));
        if (_broker is MqttNetTestBroker watched)
        {
            // Seen at the broker: aliases were reused (sent without the topic name), not merely announced.
            Assert.InRange(watched.PublishesByAliasOnly, 1, 16);
        }
    }

    [MosquittoFact]
    public async Task PublishAsync_LargerThanBrokerMaximumPacketSize_ThrowsPacketTooLarge()
    {
        await using var limited = await StartBrokerAsync(new BrokerLimits { MaximumPacketSize = 2000 });
        await using var client = await TestClients.StartAsync(TestClients.Options(limited));
        var ex = await Assert.ThrowsAsync<MqttException>(() => client.PublishAsync(new MqttMessage("big", new byte[5000])));
        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);

        // The connection is still usable for messages that fit.
        await client.PublishAsync(new MqttMessage("small", new byte[100]) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        Assert.Equal(1, client.Statistics.Connects);
        if (limited is MqttNetTestBroker watched)
        {
            Assert.Equal(100, watched.LargestPublishPayload);
        }
    }

    [MosquittoFact]
    public async Task PublishAsync_BrokerReceiveMaximum_LimitsInFlightAndAllComplete()
    {
        await using var limited = await StartBrokerAsync(new BrokerLimits { ReceiveMaximum = 5 });
        await using var client = await TestClients.StartAsync(TestClients.Options(limited));
        var acks = new List<Task>();
        var maxSeen = 0;
        for (var i = 0; i < 200; i++)
        {
            acks.Add(await client.SendPublishAsync(new MqttMessage("rm/x", new byte[] { (byte)i }) { QualityOfService = MqttQualityOfService.AtLeastOnce }));
            maxSeen = Math.Max(maxSeen, client.InFlightCount);
        }

        await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(200, client.Statistics.Acknowledged);
        Assert.InRange(maxSeen, 1, 5);
        if (limited.MaxInFlightSeen is { } atBroker)
        {
            Assert.InRange(atBroker, 1, 5);
        }
    }

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task KeepAlive_IdleConnection_PingsKeepItOpen(MqttProtocolVersion version)
    {
        // Both brokers drop a client silent for 1.5 keep-alive periods: three PINGREQs on one connection show the
        // client pings in time and takes the PINGRESPs (an unanswered ping would replace the connection).
        var defaults = TestClients.Options(_broker, version);
        var options = new MqttClientOptions
        {
            Endpoints = defaults.Endpoints,
            ProtocolVersion = version,
            ClientId = defaults.ClientId,
            KeepAlive = TimeSpan.FromSeconds(1),
        };
        await using var client = await TestClients.StartAsync(options);

        await _broker.WaitForPingsAsync(options.ClientId, 3, TimeSpan.FromSeconds(20));
        Assert.True(client.IsConnected);
        Assert.Equal(1, client.Statistics.Connects);
    }

    [MosquittoTheory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Reconnect_SessionResumed_QueuedQos1MessagesArrive(MqttProtocolVersion version)
    {
        var topic = $"resume/{version}";
        var collector = new MessageCollector();
        var logger = new ListLogger();
        var defaults = TestClients.Options(_broker, version, clientId: $"resumer-{version}");
        var options = new MqttClientOptions
        {
            Endpoints = defaults.Endpoints,
            ProtocolVersion = version,
            ClientId = defaults.ClientId,
            CleanStart = false,
            SessionExpiryInterval = 300,
            KeepAlive = defaults.KeepAlive,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(1500),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        };
        await using var resumer = await TestClients.StartAsync(options, collector, logger);
        await resumer.SubscribeAsync([new MqttSubscription(topic)]);
        await using var publisher = await TestClients.StartAsync(TestClients.Options(_broker, version));

        // While the resumer is away (it waits ~1 s before reconnecting), the broker queues in its session.
        resumer.AbortConnection("test drops the connection");
        await publisher.PublishAsync(new MqttMessage(topic, new byte[] { 7 }) { QualityOfService = MqttQualityOfService.AtLeastOnce });

        await collector.WaitForCountAsync(topic, 1);
        await logger.WaitForLineAsync(l => l.Contains("session present: True", StringComparison.Ordinal));
        Assert.Equal(2, resumer.Statistics.Connects);
    }
}
