using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using EdgeSeg.Mqtt.Packets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSeg.Mqtt;

/// <summary>
/// A managed MQTT 3.1.1/5.0 client with its own supervisor: it connects to the first endpoint that answers,
/// reconnects with exponential backoff and jitter, replaces silent connections, resends unacknowledged QoS 1/2
/// publishes after a reconnect, and re-subscribes when the broker lost the session.
/// </summary>
/// <remarks>
/// A connection goes through phases (TCP/TLS, CONNECT/CONNACK, a SUBACK for every subscription, resends), each with
/// a timeout; a failure in any phase, or later (a PINGREQ unanswered, a packet cut off mid-way, a closed socket),
/// ends that connection and the supervisor reconnects with backoff. The client counts as connected
/// (<see cref="IsConnected"/>, <see cref="Session"/>) only while the session works. Application messages are handed
/// to <see cref="MessageReceived"/> on a delivery loop of their own, so however long a handler takes, the connection
/// keeps reading, acknowledging publishes and answering the keep-alive.
/// </remarks>
/// <remarks>
/// Lifetime: create, set <see cref="MessageReceived"/>/<see cref="Connected"/>, create streams, call
/// <see cref="StartAsync"/> once, and <see cref="StopAsync"/> (or dispose) once. Thread-safe after start.
/// Broker protocol violations close the connection with an error log line; they never throw into the caller.
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private static readonly TimeSpan SupervisorStopTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DeliveryStopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>QoS 0 messages waiting for a busy <see cref="MessageReceived"/> handler beyond which new ones are dropped (and counted).</summary>
    internal const int MaxPendingQos0Deliveries = 1000;

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, OutgoingPublish> _inFlight = [];
    private readonly LinkedList<OutgoingPublish> _inFlightOrder = new();
    private readonly Dictionary<ushort, TaskCompletionSource<SubAckPacket>> _requests = [];
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly List<MqttSubscription> _subscriptions = [];
    private readonly List<MqttOutbox> _streams = [];
    private readonly Queue<TaskCompletionSource> _windowWaiters = new();

    // The broker's answer to each filter in the current broker session; a filter not in here is subscribed before the
    // next connection counts as connected. Cleared whenever the broker starts a new session.
    private readonly Dictionary<string, MqttReasonCode> _confirmed = new(StringComparer.Ordinal);

    // Unbounded on purpose: QoS 1/2 deliveries are bounded by the broker's flow control (our receive maximum, or the
    // packet identifiers), QoS 0 by MaxPendingQos0Deliveries; the read loop must never wait on a handler.
    private readonly Channel<IncomingDelivery> _deliveries = Channel.CreateUnbounded<IncomingDelivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private int _pendingQos0;
    private Task? _deliveryLoop;
    private MqttSessionStatus _session = new() { State = MqttSessionState.Disconnected, Since = DateTimeOffset.UtcNow, LastError = "not started" };
    private TaskCompletionSource<MqttConnection> _ready = NewReady();
    private MqttConnection? _current;
    private bool _isReady;
    private int _inFlightLimit = ushort.MaxValue;
    private ushort _nextPacketId;
    private CancellationTokenSource? _stop;
    private Task? _supervisor;
    private bool _stopped;
    private volatile bool _stopping;

    /// <summary>Creates a client; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated here; see <see cref="MqttClientOptions.Validate"/>.</param>
    /// <param name="logger">Where connection events and protocol violations are logged; none when null.</param>
    public MqttClient(MqttClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The options the client was created with.</summary>
    public MqttClientOptions Options => _options;

    /// <summary>Counters (connects, resends, protocol violations ...).</summary>
    public MqttClientStatistics Statistics { get; } = new();

    /// <summary>
    /// Called for every application message received, one at a time in arrival order, before the QoS 1/2
    /// acknowledgement goes out. Exceptions are logged and the message is still acknowledged. Set before start.
    /// Runs on the client's delivery loop, not on the connection's read loop: a slow handler delays later messages
    /// (and, through the broker's flow control, the broker's further QoS 1/2 sends) but never the connection's
    /// keep-alive or the acknowledgements of our own publishes. QoS 0 messages beyond
    /// <see cref="MaxPendingQos0Deliveries"/> waiting are dropped and counted (<see cref="MqttClientStatistics.IncomingDropped"/>).
    /// The token is cancelled when the connection the message came on ends.
    /// </summary>
    public Func<MqttMessage, CancellationToken, Task>? MessageReceived { get; set; }

    /// <summary>
    /// Called after every successful (re)connect, once subscriptions and resends are done and publishing is open
    /// (publish retained "online" status here). Exceptions are logged. Set before start. Its token is cancelled when
    /// that connection ends; the supervisor does not wait for it before noticing a lost connection.
    /// </summary>
    public Func<CancellationToken, Task>? Connected { get; set; }

    /// <summary>
    /// True while the session works: CONNACK and the SUBACK of every subscription received, open for publishing, and
    /// no PINGREQ unanswered past the ping timeout. Same as <see cref="Session"/>'s state being
    /// <see cref="MqttSessionState.Connected"/>.
    /// </summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _isReady;
            }
        }
    }

    /// <summary>
    /// The session's state, why the last connection ended, and when the broker last answered us: what a health check
    /// or a metric should read. A consistent snapshot; thread-safe.
    /// </summary>
    public MqttSessionStatus Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>The endpoint of the current connection, or null.</summary>
    public MqttEndpoint? ConnectedEndpoint
    {
        get
        {
            lock (_gate)
            {
                return _isReady ? _current?.Endpoint : null;
            }
        }
    }

    /// <summary>Number of QoS 1/2 publishes waiting for their acknowledgement.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Starts the supervisor (and the pumps of the streams). Returns at once; it does not wait for a connection.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The MQTT client was already started; a client starts once.");
            }

            _stop = new CancellationTokenSource();
        }

        _deliveryLoop = Task.Run(() => DeliverAsync(_stop.Token), CancellationToken.None);
        _supervisor = Task.Run(() => SuperviseAsync(_stop.Token), CancellationToken.None);
        foreach (var stream in SnapshotStreams())
        {
            stream.Start(_stop.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until a connection is up and open for publishing.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) => await WaitReadyAsync(cancellationToken);

    /// <summary>
    /// Stops the streams' pumps (queued messages stay queued; disk queues stay on disk), sends DISCONNECT (normal,
    /// so the will is not published) and stops the supervisor. Unacknowledged publishes fail with <see cref="MqttException"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            stop = _stop;
            if (stop is null || _stopped)
            {
                _stopped = true;
                return;
            }
        }

        // From here a closed connection is this stop's doing, not a broker's: it is not logged as a warning.
        _stopping = true;
        foreach (var stream in SnapshotStreams())
        {
            await stream.StopAsync();
        }

        MqttConnection? connection;
        lock (_gate)
        {
            connection = _isReady ? _current : null;
        }

        if (connection is not null)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await connection.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.Success }, timeout.Token).AsTask().WaitAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is MqttException or OperationCanceledException)
            {
                LogDisconnectNotSent(connection.Endpoint, ex.Message);
            }
        }

        await stop.CancelAsync();
        connection?.Abort("client stopped");
        if (_supervisor is not null)
        {
            // Everything the supervisor waits on observes the stop token or the aborted connection; the bound is a
            // backstop so that a stop (a service shutting down under systemd's stop timeout) can never hang.
            try
            {
                await _supervisor.WaitAsync(SupervisorStopTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                LogSupervisorStuck(SupervisorStopTimeout.TotalSeconds);
            }
        }

        if (_deliveryLoop is not null)
        {
            // A handler that ignores its token (cancelled with the connection) is left behind rather than hanging the stop.
            try
            {
                await _deliveryLoop.WaitAsync(DeliveryStopTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                LogHandlerStillRunning(DeliveryStopTimeout.TotalSeconds);
            }
        }

        List<OutgoingPublish> orphans;
        lock (_gate)
        {
            _stopped = true;
            SetSession(MqttSessionState.Disconnected, null, "stopped");
            _ready.TrySetException(new MqttException("The MQTT client was stopped."));
            orphans = [.. _inFlightOrder];
            _inFlight.Clear();
            _inFlightOrder.Clear();
            WakeAllWaiters();
        }

        foreach (var entry in orphans)
        {
            entry.Completion.TrySetException(new MqttException($"The MQTT client stopped before the broker acknowledged the publish to '{entry.Message.Topic}'."));
        }

        stop.Dispose();
    }

    /// <summary>Stops the client (see <see cref="StopAsync"/>) and disposes its streams.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var stream in SnapshotStreams())
        {
            stream.Dispose();
        }
    }

    /// <summary>
    /// Publishes <paramref name="message"/>, waiting for a connection if there is none. QoS 0 completes once written;
    /// QoS 1/2 once the broker acknowledged it (resent with DUP across reconnects until then).
    /// </summary>
    /// <exception cref="ArgumentException">The topic is invalid.</exception>
    /// <exception cref="MqttException">The broker cannot take it (too large, QoS or retain not supported), refused it, or the client stopped.</exception>
    public async Task PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        var acknowledged = await SendPublishAsync(message, cancellationToken);
        await acknowledged.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="message"/> without waiting for its acknowledgement, so many QoS 1 publishes can be in
    /// flight from one caller in order. Completes when the PUBLISH is written (QoS 1/2: when it is in the session);
    /// the returned task completes on PUBACK/PUBCOMP.
    /// </summary>
    /// <exception cref="MqttException">As <see cref="PublishAsync"/>; a QoS 0 message whose connection dropped while it was written.</exception>
    public async ValueTask<Task> SendPublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopic.ValidateTopicName(message.Topic, nameof(message));
        if (message.QualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException($"QoS {(int)message.QualityOfService} does not exist.", nameof(message));
        }

        while (true)
        {
            var connection = await WaitReadyAsync(cancellationToken);
            CheckBrokerAccepts(connection, message);
            if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
            {
                await connection.SendPublishAsync(message, 0, dup: false, cancellationToken);
                Interlocked.Increment(ref Statistics.PublishedField);
                return Task.CompletedTask;
            }

            var entry = await RegisterAsync(connection, message, cancellationToken);
            if (entry is null)
            {
                continue; // the connection changed while we waited for a window slot
            }

            try
            {
                await connection.SendPublishAsync(message, entry.PacketId, dup: false, CancellationToken.None);
                Interlocked.Increment(ref Statistics.PublishedField);
            }
            catch (MqttException ex) when (ex.ReasonCode is null)
            {
                // The connection dropped: the entry is in the session and the next connection resends it.
                LogPublishDeferred(message.Topic, ex.Message);
            }

            return entry.Completion.Task;
        }
    }

    /// <summary>
    /// Makes <paramref name="subscriptions"/> part of every session: from the next connection on they are subscribed
    /// before the connection counts as connected, and a SUBACK that does not come within
    /// <see cref="MqttClientOptions.ResponseTimeout"/> fails the connection. Call before <see cref="StartAsync"/> for
    /// subscriptions the application cannot work without (commands, say); returns at once.
    /// </summary>
    /// <exception cref="ArgumentException">A filter is invalid.</exception>
    public void AddSubscriptions(IReadOnlyList<MqttSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("Subscribe to at least one topic filter.", nameof(subscriptions));
        }

        foreach (var s in subscriptions)
        {
            MqttTopic.ValidateTopicFilter(s.TopicFilter, nameof(subscriptions));
        }

        lock (_gate)
        {
            foreach (var s in subscriptions)
            {
                _subscriptions.RemoveAll(x => x.TopicFilter == s.TopicFilter);
                _subscriptions.Add(s);
                _confirmed.Remove(s.TopicFilter);
            }
        }
    }

    /// <summary>
    /// Subscribes (waiting for a connection if there is none) and remembers the subscriptions as
    /// <see cref="AddSubscriptions"/> does, so they are renewed whenever the broker has no session for us. Returns the
    /// broker's reason code per filter (granted QoS or an error). A SUBACK that does not come within
    /// <see cref="MqttClientOptions.ResponseTimeout"/> fails the connection, and the subscription is made on the next.
    /// </summary>
    /// <exception cref="ArgumentException">A filter is invalid.</exception>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        AddSubscriptions(subscriptions);
        while (true)
        {
            var connection = await WaitReadyAsync(cancellationToken);
            lock (_gate)
            {
                // The connection's own set-up may have subscribed them already.
                if (_current == connection && subscriptions.All(s => _confirmed.ContainsKey(s.TopicFilter)))
                {
                    return [.. subscriptions.Select(s => _confirmed[s.TopicFilter])];
                }
            }

            try
            {
                var ack = await RequestAsync(connection, id => new SubscribePacket { PacketId = id, Subscriptions = subscriptions }, "SUBACK", cancellationToken);
                Confirm(subscriptions, ack.ReasonCodes);
                return ack.ReasonCodes;
            }
            catch (MqttException ex) when (ex.ReasonCode is null && connection.Aborted.IsCancellationRequested)
            {
                LogRequestRetried("SUBSCRIBE", ex.Message);
            }
        }
    }

    /// <summary>Unsubscribes and forgets the filters. Returns the broker's reason codes (MQTT 5; all Success for 3.1.1).</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("Unsubscribe from at least one topic filter.", nameof(topicFilters));
        }

        lock (_gate)
        {
            _subscriptions.RemoveAll(x => topicFilters.Contains(x.TopicFilter));
            foreach (var filter in topicFilters)
            {
                _confirmed.Remove(filter);
            }
        }

        while (true)
        {
            var connection = await WaitReadyAsync(cancellationToken);
            try
            {
                var ack = await RequestAsync(connection, id => new UnsubscribePacket { PacketId = id, TopicFilters = topicFilters }, "UNSUBACK", cancellationToken);
                return ack.ReasonCodes.Count > 0 ? ack.ReasonCodes : [.. topicFilters.Select(_ => MqttReasonCode.Success)];
            }
            catch (MqttException ex) when (ex.ReasonCode is null && connection.Aborted.IsCancellationRequested)
            {
                LogRequestRetried("UNSUBSCRIBE", ex.Message);
            }
        }
    }

    /// <summary>
    /// Creates an outbound stream with its own offline behaviour (latest-only per topic, or a bounded on-disk queue).
    /// The client owns it: it starts with the client and is disposed with it.
    /// </summary>
    public MqttOutbox CreateOutbox(MqttOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MqttOutbox stream = options.OfflinePolicy switch
        {
            MqttOfflinePolicy.DiskQueue => new DiskQueueOutbox(this, options, _logger),
            _ => new LatestPerTopicOutbox(this, options, _logger),
        };

        CancellationToken? started = null;
        lock (_gate)
        {
            if (_stopped)
            {
                stream.Dispose();
                throw new InvalidOperationException("The MQTT client was stopped.");
            }

            _streams.Add(stream);
            if (_stop is not null)
            {
                started = _stop.Token;
            }
        }

        if (started is { } token)
        {
            stream.Start(token);
        }

        return stream;
    }

    /// <summary>Test hook: drops the current connection without DISCONNECT, as a killed process or a cut cable would.</summary>
    internal void AbortConnection(string reason)
    {
        lock (_gate)
        {
            _current?.Abort(reason);
        }
    }

    private static TaskCompletionSource<MqttConnection> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private List<MqttOutbox> SnapshotStreams()
    {
        lock (_gate)
        {
            return [.. _streams];
        }
    }

    private async Task<MqttConnection> WaitReadyAsync(CancellationToken cancellationToken)
    {
        Task<MqttConnection> ready;
        lock (_gate)
        {
            if (_stopped)
            {
                throw new MqttException("The MQTT client was stopped.");
            }

            ready = _ready.Task;
        }

        return await ready.WaitAsync(cancellationToken);
    }

    private static void CheckBrokerAccepts(MqttConnection connection, MqttMessage message)
    {
        if (message.QualityOfService > connection.ServerMaximumQoS)
        {
            throw new MqttException(
                $"The broker accepts at most QoS {(int)connection.ServerMaximumQoS}; '{message.Topic}' was published with QoS {(int)message.QualityOfService}.",
                MqttReasonCode.QoSNotSupported);
        }

        if (message.Retain && !connection.ServerRetainAvailable)
        {
            throw new MqttException($"The broker does not support retained messages ('{message.Topic}').", MqttReasonCode.RetainNotSupported);
        }

        var size = PublishPacket.GetSize(message, 1, 0, includeTopic: true, connection.Version);
        if (size > connection.ServerMaximumPacketSize)
        {
            throw new MqttException(
                $"A PUBLISH of {size} bytes to '{message.Topic}' exceeds the broker's maximum packet size of {connection.ServerMaximumPacketSize}.",
                MqttReasonCode.PacketTooLarge);
        }
    }

    private async Task<OutgoingPublish?> RegisterAsync(MqttConnection connection, MqttMessage message, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_gate)
            {
                if (!_isReady || _current != connection)
                {
                    return null;
                }

                if (_inFlight.Count < _inFlightLimit)
                {
                    var entry = new OutgoingPublish(message, NextPacketId()) { ConnectionId = connection.Id };
                    _inFlight.Add(entry.PacketId, entry);
                    entry.Node = _inFlightOrder.AddLast(entry);
                    return entry;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _windowWaiters.Enqueue(waiter);
            }

            // A cancelled waiter is marked cancelled so a wake-up skips it instead of being lost on it.
            using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
            {
                await waiter.Task;
            }
        }
    }

    // A SUBSCRIBE or UNSUBSCRIBE and its answer. No answer within the response timeout is a failed session: the
    // connection is ended (the caller retries on the next one) rather than left looking connected without it.
    private async Task<SubAckPacket> RequestAsync(MqttConnection connection, Func<ushort, MqttPacket> create, string answer, CancellationToken cancellationToken)
    {
        ushort id;
        var response = new TaskCompletionSource<SubAckPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            id = NextPacketId();
            _requests.Add(id, response);
        }

        try
        {
            using var lost = connection.Aborted.Register(() => response.TrySetException(new MqttException($"The connection to {connection.Endpoint} was lost.")));
            var sent = Stopwatch.GetTimestamp();
            await connection.SendAsync(create(id), cancellationToken);
            try
            {
                var ack = await response.Task.WaitAsync(_options.ResponseTimeout, cancellationToken);
                RecordRoundTrip(sent);
                return ack;
            }
            catch (TimeoutException)
            {
                var reason = $"no {answer} within {_options.ResponseTimeout.TotalSeconds:0.###} s";
                connection.Abort(reason);
                throw new MqttException($"{connection.Endpoint} sent {reason}; the connection was closed.");
            }
        }
        finally
        {
            lock (_gate)
            {
                _requests.Remove(id);
            }
        }
    }

    private void Confirm(IReadOnlyList<MqttSubscription> subscriptions, IReadOnlyList<MqttReasonCode> reasons)
    {
        lock (_gate)
        {
            for (var i = 0; i < subscriptions.Count; i++)
            {
                var reason = i < reasons.Count ? reasons[i] : MqttReasonCode.UnspecifiedError;
                _confirmed[subscriptions[i].TopicFilter] = reason;
                if ((byte)reason >= 0x80)
                {
                    LogSubscriptionRefused(subscriptions[i].TopicFilter, reason);
                }
            }
        }
    }

    // Records an answer of the broker to a request of ours, sent at Stopwatch timestamp `sent`.
    private void RecordRoundTrip(long sent)
    {
        var elapsed = Stopwatch.GetElapsedTime(sent);
        lock (_gate)
        {
            _session = _session with { LastRoundTrip = DateTimeOffset.UtcNow, RoundTripTime = elapsed };
        }
    }

    // Caller holds _gate. Since moves only when the state changes; round-trip data is kept.
    private void SetSession(MqttSessionState state, MqttEndpoint? endpoint, string? error)
    {
        _session = _session with
        {
            State = state,
            Since = state == _session.State ? _session.Since : DateTimeOffset.UtcNow,
            Endpoint = endpoint ?? _session.Endpoint,
            LastError = error ?? _session.LastError,
        };
    }

    // Caller holds _gate.
    private ushort NextPacketId()
    {
        for (var i = 0; i < ushort.MaxValue; i++)
        {
            _nextPacketId = (ushort)((_nextPacketId % ushort.MaxValue) + 1);
            if (!_inFlight.ContainsKey(_nextPacketId) && !_requests.ContainsKey(_nextPacketId))
            {
                return _nextPacketId;
            }
        }

        throw new MqttException("All 65,535 packet identifiers are in use.");
    }

    // Caller holds _gate.
    private void WakeOneWaiter()
    {
        while (_windowWaiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult())
            {
                return;
            }
        }
    }

    // Caller holds _gate.
    private void WakeAllWaiters()
    {
        while (_windowWaiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private ConnectPacket BuildConnect()
    {
        var v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        var props = new MqttProperties();
        if (v5)
        {
            props.SessionExpiryInterval = _options.SessionExpiryInterval == 0 ? null : _options.SessionExpiryInterval;
            props.ReceiveMaximum = _options.ReceiveMaximum == ushort.MaxValue ? null : _options.ReceiveMaximum;
            props.MaximumPacketSize = (uint)_options.MaximumIncomingPacketSize;
            props.TopicAliasMaximum = _options.TopicAliasMaximum == 0 ? null : _options.TopicAliasMaximum;
            if (_options.ConnectUserProperties is { } user)
            {
                props.UserProperties.AddRange(user);
            }
        }

        return new ConnectPacket
        {
            ProtocolVersion = _options.ProtocolVersion,
            ClientId = _options.ClientId,
            CleanStart = _options.CleanStart,
            KeepAliveSeconds = (ushort)_options.KeepAlive.TotalSeconds,
            UserName = _options.UserName,
            Password = _options.Password is null ? null : Encoding.UTF8.GetBytes(_options.Password),
            Will = _options.Will,
            WillDelayInterval = v5 ? _options.WillDelayInterval : null,
            Properties = props,
        };
    }
}
