using System.Net;
using EdgeSeg.TestSupport.Mosquitto;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// MQTTnet.Server 5.2 in this process as a <see cref="ITestBroker"/>: a second, independent broker implementation.
/// </summary>
/// <remarks>
/// MQTTnet.Server has no setting for the receive maximum, maximum packet size or topic alias maximum it announces
/// (its CONNACK always says unlimited, unlimited and 65535), so <see cref="BrokerLimits"/> are written into the CONNACK
/// by its outbound-packet interceptor. It does not enforce them; instead the inbound and outbound interceptors measure
/// what the client did (<see cref="MaxInFlightSeen"/>, <see cref="LargestPublishPayload"/>), which checks the client
/// more closely than a broker that enforces them could.
/// </remarks>
internal sealed class MqttNetTestBroker : ITestBroker
{
    private readonly MqttServer _server;
    private readonly BrokerLimits _limits;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly Dictionary<string, int> _pings = [];
    private readonly List<(string ClientId, int Count, TaskCompletionSource Done)> _pingWaiters = [];
    private int _maxInFlight;
    private long _largestPayload;
    private long _byAliasOnly;

    private MqttNetTestBroker(MqttServer server, int port, BrokerLimits limits)
    {
        _server = server;
        Port = port;
        _limits = limits;
        server.InterceptingOutboundPacketAsync += OnOutbound;
        server.InterceptingInboundPacketAsync += OnInbound;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public int? MaxInFlightSeen
    {
        get
        {
            lock (_gate)
            {
                return _maxInFlight;
            }
        }
    }

    /// <summary>PUBLISH packets received with a topic alias and no topic name (an alias set up earlier, reused).</summary>
    public long PublishesByAliasOnly => Interlocked.Read(ref _byAliasOnly);

    /// <summary>The largest PUBLISH payload the broker received from any client.</summary>
    public long LargestPublishPayload => Interlocked.Read(ref _largestPayload);

    public static async Task<MqttNetTestBroker> StartAsync(BrokerLimits limits)
    {
        var port = MosquittoBroker.FreePort();
        var options = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var broker = new MqttNetTestBroker(server, port, limits);
        await server.StartAsync();
        return broker;
    }

    public Task WaitForPingsAsync(string clientId, int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_pings.GetValueOrDefault(clientId) >= count)
            {
                return Task.CompletedTask;
            }

            _pingWaiters.Add((clientId, count, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    private Task OnOutbound(InterceptingPacketEventArgs e)
    {
        switch (e.Packet)
        {
            case MqttConnAckPacket ack:
                ack.ReceiveMaximum = _limits.ReceiveMaximum ?? ack.ReceiveMaximum;
                ack.MaximumPacketSize = _limits.MaximumPacketSize ?? ack.MaximumPacketSize;
                ack.TopicAliasMaximum = _limits.TopicAliasMaximum ?? ack.TopicAliasMaximum;
                break;
            case MqttPubAckPacket or MqttPubCompPacket:
                // The broker acknowledges a publish of this client: one fewer in flight.
                lock (_gate)
                {
                    _inFlight[e.ClientId] = _inFlight.GetValueOrDefault(e.ClientId) - 1;
                }

                break;
        }

        return Task.CompletedTask;
    }

    private Task OnInbound(InterceptingPacketEventArgs e)
    {
        switch (e.Packet)
        {
            case MqttPublishPacket publish:
                InterlockedMax(ref _largestPayload, publish.Payload.Length);
                if (publish.TopicAlias != 0 && string.IsNullOrEmpty(publish.Topic))
                {
                    Interlocked.Increment(ref _byAliasOnly);
                }

                if (publish.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
                {
                    lock (_gate)
                    {
                        var now = _inFlight.GetValueOrDefault(e.ClientId) + 1;
                        _inFlight[e.ClientId] = now;
                        _maxInFlight = Math.Max(_maxInFlight, now);
                    }
                }

                break;
            case MqttPingReqPacket:
                lock (_gate)
                {
                    var pings = _pings.GetValueOrDefault(e.ClientId) + 1;
                    _pings[e.ClientId] = pings;
                    foreach (var waiter in _pingWaiters.Where(w => w.ClientId == e.ClientId && pings >= w.Count).ToList())
                    {
                        waiter.Done.TrySetResult();
                        _pingWaiters.Remove(waiter);
                    }
                }

                break;
        }

        return Task.CompletedTask;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
