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
            try
            {
                var (connection, connAck) = await ConnectAsync(endpoint, stop);
                failedRounds = 0;
                failuresThisRound = 0;
                Interlocked.Increment(ref Statistics.ConnectsField);
                await RunConnectionAsync(connection, connAck, stop);
                await DelayAsync(Jitter(_options.ReconnectMinDelay), stop);
                continue;
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

        var connection = new MqttConnection(stream, endpoint, _options.ProtocolVersion, _options.MaximumIncomingPacketSize)
        {
            UseTopicAliases = _options.UseTopicAliases,
            IncomingTopicAliasMaximum = _options.ProtocolVersion == MqttProtocolVersion.V500 ? _options.TopicAliasMaximum : (ushort)0,
        };
        try
        {
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

    private async Task RunConnectionAsync(MqttConnection connection, ConnAckPacket connAck, CancellationToken stop)
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
            }
        }

        var readLoop = ReadLoopAsync(connection);
        var keepAliveLoop = KeepAliveLoopAsync(connection, keepAlive);
        try
        {
            if (!connAck.SessionPresent)
            {
                List<MqttSubscription> subscriptions;
                lock (_gate)
                {
                    subscriptions = [.. _subscriptions];
                }

                if (subscriptions.Count > 0)
                {
                    await RequestAsync(connection, id => new SubscribePacket { PacketId = id, Subscriptions = subscriptions }, stop);
                }
            }

            await ResendInFlightAsync(connection, connAck.SessionPresent, stop);
            lock (_gate)
            {
                if (!connection.Aborted.IsCancellationRequested)
                {
                    _isReady = true;
                    _ready.TrySetResult(connection);
                }
            }

            LogConnected(connection.Endpoint, _options.ProtocolVersion == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connAck.SessionPresent);
            if (Connected is { } connected && !connection.Aborted.IsCancellationRequested)
            {
                try
                {
                    await connected(stop);
                }
#pragma warning disable CA1031 // A failing callback must not take the connection down; it is logged.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogCallbackFailed("Connected", ex);
                }
            }
        }
        catch (MqttException ex)
        {
            connection.Abort(ex.Message);
        }
        catch (OperationCanceledException)
        {
            connection.Abort("stopping");
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

            WakeAllWaiters();
            requests = [.. _requests.Values];
        }

        foreach (var request in requests)
        {
            request.TrySetException(new MqttException($"The connection to {connection.Endpoint} was lost."));
        }

        await keepAliveLoop;
        Interlocked.Increment(ref Statistics.DisconnectsField);
        if (_stopping)
        {
            LogConnectionClosedOnStop(connection.Endpoint);
        }
        else
        {
            LogConnectionClosed(connection.Endpoint, connection.CloseReason);
        }

        await connection.DisposeAsync();
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
