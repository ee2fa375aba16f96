using EdgeSeg.Mqtt.Tests.Support;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>
/// A session counts as connected only once it works (CONNACK and every SUBACK in), and a failure in any phase of a
/// connection (before SUBACK, in the middle of a packet) ends it and reconnects. Against a hostile
/// <see cref="FakeBroker"/> on a real TCP port, since a real broker cannot misbehave this way.
/// </summary>
public sealed class MqttClientSessionTests
{
    private static readonly MqttSubscription Commands = new("dev/cmd/+");

    // Keep-alive is long on purpose: these failures must be caught by their own phase's timeout, not by a PINGREQ
    // that happens to go unanswered a keep-alive later.
    private static MqttClientOptions Options(FakeBroker broker, string clientId) => new()
    {
        Endpoints = [new MqttEndpoint("127.0.0.1", broker.Port)],
        ClientId = clientId,
        KeepAlive = TimeSpan.FromSeconds(60),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ResponseTimeout = TimeSpan.FromSeconds(1),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        MaximumIncomingPacketSize = 256 * 1024 * 1024,
    };

    private static byte[] SubAckFor(byte[] subscribeBody) => [0x90, 0x04, subscribeBody[0], subscribeBody[1], 0x00, 0x00];

    // A broker that works: CONNACK, SUBACK for every SUBSCRIBE, PINGRESP for every PINGREQ.
    private static async Task WorkingAsync(FakeBroker.Peer peer, CancellationToken cancellationToken)
    {
        await peer.ReadPacketAsync(cancellationToken);
        await peer.WriteAsync(FakeBroker.ConnAckV5, cancellationToken);
        while (true)
        {
            var (header, body) = await peer.ReadPacketAsync(cancellationToken);
            switch (header >> 4)
            {
                case 8:
                    await peer.WriteAsync(SubAckFor(body), cancellationToken);
                    break;
                case 12:
                    await peer.WriteAsync(FakeBroker.PingResp, cancellationToken);
                    break;
            }
        }
    }

    // CONNECT in, CONNACK out, then read up to the client's SUBSCRIBE (answering pings), and send no SUBACK.
    private static async Task ConnectAndReadSubscribeAsync(FakeBroker.Peer peer, CancellationToken cancellationToken)
    {
        await peer.ReadPacketAsync(cancellationToken);
        await peer.WriteAsync(FakeBroker.ConnAckV5, cancellationToken);
        await peer.ReadUntilAsync(8, answerPings: true, cancellationToken);
    }

    [Fact]
    public async Task Subscribe_PeerClosesAfterSubscribeBeforeSubAck_ReconnectsAndSubscribesAgain()
    {
        // Returning closes the socket: SUBSCRIBE read, no SUBACK.
        var script = new BrokenOnce(ConnectAndReadSubscribeAsync);
        await using var broker = new FakeBroker(script.RunAsync);
        var logger = new ListLogger();
        await using var client = new MqttClient(Options(broker, "closed-before-suback"), logger);
        client.AddSubscriptions([Commands]);
        await client.StartAsync();

        var first = await broker.NextConnectionAsync();
        await first.Ended.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(client.IsConnected);

        var second = await broker.NextConnectionAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        lock (second.Received)
        {
            Assert.Contains(second.Received, h => h >> 4 == 8);
        }

        Assert.Equal(1, client.Statistics.Connects);
        Assert.Equal(MqttSessionState.Connected, client.Session.State);
    }

    [Fact]
    public async Task Subscribe_PeerAnswersPingsButNeverSubAck_FailsTheConnectionAfterResponseTimeoutAndReconnects()
    {
        var subscribeSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new BrokenOnce(async (peer, ct) =>
        {
            await ConnectAndReadSubscribeAsync(peer, ct);
            subscribeSeen.TrySetResult();
            await peer.AnswerPingsAsync(ct);
        });
        await using var broker = new FakeBroker(script.RunAsync);
        var logger = new ListLogger();
        await using var client = new MqttClient(Options(broker, "no-suback"), logger);
        client.AddSubscriptions([Commands]);
        await client.StartAsync();

        // While the SUBACK is outstanding the session does not work yet: it is not reported as connected.
        await subscribeSeen.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var pending = client.Session;
        Assert.False(client.IsConnected);
        Assert.Equal(MqttSessionState.Connecting, pending.State);

        await logger.WaitForLineAsync(l => l.Contains("no SUBACK within 1 s", StringComparison.Ordinal));
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(2, script.Connections);
        Assert.Equal(1, client.Statistics.Connects);
        Assert.NotNull(client.Session.LastRoundTrip);
    }

    [Fact]
    public async Task Connected_CallbackSubscribesAndPeerClosesBeforeSubAck_CallbackIsCancelledAndClientReconnects()
    {
        // The old way of subscribing (from the Connected callback) must not hold the supervisor either.
        var script = new BrokenOnce(ConnectAndReadSubscribeAsync);
        await using var broker = new FakeBroker(script.RunAsync);
        await using var client = new MqttClient(Options(broker, "callback-subscribes"));
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected = async ct =>
        {
            await client.SubscribeAsync([Commands], ct);
            subscribed.TrySetResult();
        };
        await client.StartAsync();

        await broker.NextConnectionAsync();
        await broker.NextConnectionAsync();
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData(200_000_000)] // announces 200 MB, sends a few bytes and goes silent
    [InlineData(1_000)]       // a small PUBLISH cut off in the middle
    public async Task ReadLoop_PeerGoesSilentInTheMiddleOfAPacket_FailsAfterResponseTimeoutAndReconnects(int announced)
    {
        var script = new BrokenOnce(async (peer, ct) =>
        {
            await peer.ReadPacketAsync(ct);
            await peer.WriteAsync(FakeBroker.ConnAckV5, ct);

            // PUBLISH QoS 0 to "a/b", announcing `announced` bytes, of which only the topic and 10 bytes come.
            var header = new List<byte> { 0x30 };
            for (var length = announced; ; length >>= 7)
            {
                var digit = (byte)(length & 0x7F);
                if (length > 0x7F)
                {
                    header.Add((byte)(digit | 0x80));
                    continue;
                }

                header.Add(digit);
                break;
            }

            await peer.WriteAsync([.. header, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'b', 0x00, .. new byte[10]], ct);
            await peer.WaitForClientCloseAsync(ct);
        });
        await using var broker = new FakeBroker(script.RunAsync);
        var logger = new ListLogger();
        await using var client = new MqttClient(Options(broker, "silent-mid-packet"), logger);
        await client.StartAsync();

        var first = await broker.NextConnectionAsync();
        await first.Ended.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await logger.WaitForLineAsync(l => l.Contains("silent in the middle of a packet", StringComparison.Ordinal));
        await broker.NextConnectionAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>A broker script whose first connection follows <paramref name="first"/>, and every later one works.</summary>
    private sealed class BrokenOnce(Func<FakeBroker.Peer, CancellationToken, Task> first)
    {
        private int _connections;

        /// <summary>Gets the connections accepted so far.</summary>
        public int Connections => Volatile.Read(ref _connections);

        public Task RunAsync(FakeBroker.Peer peer, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _connections) == 1 ? first(peer, cancellationToken) : WorkingAsync(peer, cancellationToken);
    }
}
