using System.Diagnostics;
using EdgeSeg.Mqtt.Packets;
using EdgeSeg.Mqtt.Transport;

namespace EdgeSeg.Mqtt;

/// <content>The supervisor loop: connect, run one connection until it ends, back off, repeat.</content>
public sealed partial class MqttClient
{
    private async Task SuperviseAsync(CancellationToken stop)
    {
        var endpoints = _options.Endpoints;
        var index = 0;
        var failedRounds = 0;
        var failuresThisRound = 0;
        while (!stop.IsCancellationRequested)
        {
            var endpoint = endpoints[index];
            lock (_gate)
            {
                SetSession(MqttSessionState.Connecting, endpoint, null);
            }

            try
            {
                var (connection, connAck) = await ConnectAsync(endpoint, stop);
                if (await RunConnectionAsync(connection, connAck, stop))
                {
                    failedRounds = 0;
                    failuresThisRound = 0;
                    await DelayAsync(Jitter(_options.ReconnectMinDelay), stop);
                    continue;
                }

                // A connection that failed before its session worked (no SUBACK, closed, silent) is a failed attempt:
                // it backs off like a refused one, so a broker that fails every set-up is not hammered.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The supervisor must outlive every failure of one attempt; each is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref Statistics.ConnectFailuresField);
                LogConnectFailed(endpoint, ex.Message);
                lock (_gate)
                {
                    SetSession(MqttSessionState.Disconnected, endpoint, ex.Message);
                }
            }

            index = (index + 1) % endpoints.Count;
            if (++failuresThisRound >= endpoints.Count)
            {
                // Every endpoint failed once: back off exponentially, with jitter so a fleet does not reconnect in step.
                failuresThisRound = 0;
                var delay = Backoff(failedRounds++);
                LogBackoff(delay.TotalSeconds);
                await DelayAsync(delay, stop);
            }
        }
    }

    private TimeSpan Backoff(int failedRounds)
    {
        var min = Math.Max(_options.ReconnectMinDelay.TotalMilliseconds, 1);
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, min * Math.Pow(2, Math.Min(failedRounds, 30)));
        return Jitter(TimeSpan.FromMilliseconds(ceiling));
    }

    // Equal jitter: half fixed, half random, so the delay never collapses to zero.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.5 + (Random.Shared.NextDouble() * 0.5));
#pragma warning restore CA5394

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the supervisor.
        }
    }

    private async Task<(MqttConnection Connection, ConnAckPacket ConnAck)> ConnectAsync(MqttEndpoint endpoint, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.ConnectTimeout);
        Stream stream;
        try
        {
            stream = await MqttTransport.ConnectAsync(endpoint, _options.Tls, timeout.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException($"TCP/TLS connect to {endpoint} took longer than {_options.ConnectTimeout.TotalSeconds:0.###} s.");
        }

        var connection = new MqttConnection(stream, endpoint, _options.ProtocolVersion, _options.MaximumIncomingPacketSize, _options.ResponseTimeout)
        {
            UseTopicAliases = _options.UseTopicAliases,
            IncomingTopicAliasMaximum = _options.ProtocolVersion == MqttProtocolVersion.V500 ? _options.TopicAliasMaximum : (ushort)0,
        };
        try
        {
            var sent = Stopwatch.GetTimestamp();
            await connection.SendAsync(BuildConnect(), timeout.Token);
            var packet = await connection.ReadAsync(timeout.Token);
            if (packet is null)
            {
                throw new MqttException($"{endpoint} closed the connection before sending CONNACK.");
            }

            if (packet is not ConnAckPacket connAck)
            {
                throw new MqttProtocolException($"{endpoint} sent {packet} where CONNACK was expected.", MqttReasonCode.ProtocolError);
            }

            var reason = connAck.ReasonCodeFor(_options.ProtocolVersion);
            if (reason != MqttReasonCode.Success)
            {
                var detail = connAck.Properties.ReasonString is { } text ? $" ({text})" : "";
                throw new MqttException($"{endpoint} refused the connection: {reason}{detail}.", reason);
            }

            connection.ApplyServerLimits(connAck);
            RecordRoundTrip(sent);
            return (connection, connAck);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new TimeoutException($"{endpoint} accepted TCP but sent no CONNACK within {_options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Runs one connection from CONNACK to its end. The set-up (subscriptions, resends) runs while the read loop and
    // the keep-alive watchdog already run, so a broker that closes, goes silent or breaks the protocol in the middle
    // of the set-up ends the connection like at any other time; the set-up only waits on things the end of the
    // connection cancels, and it never counts as connected before it is done.
    // Returns whether the session worked (reached Connected) before it ended.
    private async Task<bool> RunConnectionAsync(MqttConnection connection, ConnAckPacket connAck, CancellationToken stop)
    {
        var keepAlive = connAck.Properties.ServerKeepAlive is { } serverKeepAlive
            ? TimeSpan.FromSeconds(serverKeepAlive)
            : _options.KeepAlive;
        lock (_gate)
        {
            _current = connection;
            _inFlightLimit = Math.Min(_options.MaximumInFlight, connection.ServerReceiveMaximum);
            if (!connAck.SessionPresent)
            {
                _incomingQos2.Clear();
                _confirmed.Clear();
            }
        }

        var readLoop = ReadLoopAsync(connection);
        var keepAliveLoop = KeepAliveLoopAsync(connection, keepAlive);
        Task? callback = null;
        var working = false;
        using (var session = CancellationTokenSource.CreateLinkedTokenSource(stop, connection.Aborted))
        {
            try
            {
                await SubscribeSessionAsync(connection, session.Token);

                // CONNACK and every SUBACK in: the session works. Counted before the resends, whose acknowledgements
                // may complete a caller's publish before the lines below run.
                working = true;
                Interlocked.Increment(ref Statistics.ConnectsField);
                await ResendInFlightAsync(connection, connAck.SessionPresent, session.Token);
                var open = false;
                lock (_gate)
                {
                    if (!connection.Aborted.IsCancellationRequested)
                    {
                        open = true;
                        _isReady = true;
                        _ready.TrySetResult(connection);
                        SetSession(MqttSessionState.Connected, connection.Endpoint, null);
                    }
                }

                if (open)
                {
                    LogConnected(connection.Endpoint, _options.ProtocolVersion == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connAck.SessionPresent);
                    if (Connected is { } connected)
                    {
                        callback = RunConnectedCallbackAsync(connected, session.Token);
                    }
                }
            }
            catch (MqttException ex)
            {
                connection.Abort(ex.Message);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(stop.IsCancellationRequested ? "stopping" : "aborted during set-up");
            }

            await readLoop;
            List<TaskCompletionSource<SubAckPacket>> requests;
            lock (_gate)
            {
                _isReady = false;
                _current = null;
                if (_ready.Task.IsCompleted && !_stopped)
                {
                    _ready = NewReady();
                }

                if (!_stopped)
                {
                    SetSession(MqttSessionState.Disconnected, connection.Endpoint, _stopping ? "stopping" : connection.CloseReason);
                }

                WakeAllWaiters();
                requests = [.. _requests.Values];
            }

            foreach (var request in requests)
            {
                request.TrySetException(new MqttException($"The connection to {connection.Endpoint} was lost."));
            }

            await keepAliveLoop;
            if (callback is not null)
            {
                // Its token was cancelled with the connection; a well-behaved callback has returned or does so now.
                await callback;
            }
        }

        Interlocked.Increment(ref working ? ref Statistics.DisconnectsField : ref Statistics.ConnectFailuresField);
        if (_stopping)
        {
            LogConnectionClosedOnStop(connection.Endpoint);
        }
        else
        {
            LogConnectionClosed(connection.Endpoint, connection.CloseReason);
        }

        await connection.DisposeAsync();
        return working;
    }

    // Subscribes every subscription the broker's session does not hold yet; the SUBACK must come within the response
    // timeout (RequestAsync ends the connection otherwise).
    private async Task SubscribeSessionAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        List<MqttSubscription> missing;
        lock (_gate)
        {
            missing = [.. _subscriptions.Where(x => !_confirmed.ContainsKey(x.TopicFilter))];
        }

        if (missing.Count > 0)
        {
            var ack = await RequestAsync(connection, id => new SubscribePacket { PacketId = id, Subscriptions = missing }, "SUBACK", cancellationToken);
            Confirm(missing, ack.ReasonCodes);
        }
    }

    private async Task RunConnectedCallbackAsync(Func<CancellationToken, Task> connected, CancellationToken cancellationToken)
    {
        try
        {
            await connected(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended while the callback ran; the next one calls it again.
        }
        catch (MqttException ex) when (cancellationToken.IsCancellationRequested)
        {
            LogCallbackCancelled("Connected", ex.Message);
        }
#pragma warning disable CA1031 // A failing callback must not take the connection down; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCallbackFailed("Connected", ex);
        }
    }

    private async Task ResendInFlightAsync(MqttConnection connection, bool sessionPresent, CancellationToken stop)
    {
        List<OutgoingPublish> pending;
        lock (_gate)
        {
            pending = [.. _inFlightOrder.Where(e => e.ConnectionId != connection.Id)];
            foreach (var entry in pending)
            {
                entry.ConnectionId = connection.Id;
            }
        }

        if (pending.Count > 0)
        {
            LogResending(pending.Count, connection.Endpoint, sessionPresent);
        }

        foreach (var entry in pending)
        {
            if (entry.Released)
            {
                await connection.SendAsync(new PubAckPacket(MqttPacketType.PubRel, entry.PacketId), stop);
            }
            else
            {
                // Same packet identifier, DUP set when the broker still holds the session (4.4).
                await connection.SendPublishAsync(entry.Message, entry.PacketId, dup: sessionPresent, stop);
            }

            Interlocked.Increment(ref Statistics.ResentField);
        }
    }

    private async Task KeepAliveLoopAsync(MqttConnection connection, TimeSpan keepAlive)
    {
        if (keepAlive <= TimeSpan.Zero)
        {
            return;
        }

        var pingTimeout = _options.PingTimeout ?? keepAlive;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Aborted))
            {
                var sinceLastPing = Stopwatch.GetElapsedTime(connection.LastPingSent);
                if (connection.PingOutstanding)
                {
                    if (sinceLastPing > pingTimeout)
                    {
                        // The known failure of other clients: a socket that still looks open while nothing comes back.
                        Interlocked.Increment(ref Statistics.SilentConnectionsField);
                        LogSilent(connection.Endpoint, pingTimeout.TotalSeconds);
                        connection.Abort($"no PINGRESP within {pingTimeout.TotalSeconds:0.###} s");
                        return;
                    }
                }
                else if (sinceLastPing >= keepAlive / 2)
                {
                    connection.LastPingSent = Stopwatch.GetTimestamp();
                    connection.PingOutstanding = true;

                    // Not awaited: a write stuck on a dead socket must not stop this watchdog from timing it out.
                    _ = SendPingAsync(connection);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private static async Task SendPingAsync(MqttConnection connection)
    {
        try
        {
            await connection.SendAsync(PingPacket.Request, connection.Aborted);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            connection.Abort($"PINGREQ could not be sent: {ex.Message}");
        }
    }
}
