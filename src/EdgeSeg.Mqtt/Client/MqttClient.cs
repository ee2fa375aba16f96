using System.Text;
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
/// Lifetime: create, set <see cref="MessageReceived"/>/<see cref="Connected"/>, create streams, call
/// <see cref="StartAsync"/> once, and <see cref="StopAsync"/> (or dispose) once. Thread-safe after start.
/// Broker protocol violations close the connection with an error log line; they never throw into the caller.
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private static readonly TimeSpan SupervisorStopTimeout = TimeSpan.FromSeconds(15);

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
    /// </summary>
    public Func<MqttMessage, CancellationToken, Task>? MessageReceived { get; set; }

    /// <summary>
    /// Called after every successful (re)connect, once subscriptions and resends are done and publishing is open
    /// (publish retained "online" status here). Exceptions are logged. Set before start.
    /// </summary>
    public Func<CancellationToken, Task>? Connected { get; set; }

    /// <summary>True while a connection is up and open for publishing.</summary>
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

        List<OutgoingPublish> orphans;
        lock (_gate)
        {
            _stopped = true;
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
    /// Subscribes (waiting for a connection if there is none) and remembers the subscriptions, so they are renewed
    /// whenever the broker has no session for us. Returns the broker's reason code per filter (granted QoS or an error).
    /// </summary>
    /// <exception cref="ArgumentException">A filter is invalid.</exception>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
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
            }
        }

        while (true)
        {
            var connection = await WaitReadyAsync(cancellationToken);
            try
            {
                var ack = await RequestAsync(connection, id => new SubscribePacket { PacketId = id, Subscriptions = subscriptions }, cancellationToken);
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
        }

        while (true)
        {
            var connection = await WaitReadyAsync(cancellationToken);
            try
            {
                var ack = await RequestAsync(connection, id => new UnsubscribePacket { PacketId = id, TopicFilters = topicFilters }, cancellationToken);
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

    private async Task<SubAckPacket> RequestAsync(MqttConnection connection, Func<ushort, MqttPacket> create, CancellationToken cancellationToken)
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
            await connection.SendAsync(create(id), cancellationToken);
            return await response.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _requests.Remove(id);
            }
        }
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
