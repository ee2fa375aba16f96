using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Mqtt;

/// <content>The read loop of a connection, what each incoming packet does, and the delivery loop that hands application messages to the handler.</content>
public sealed partial class MqttClient
{
    private async Task ReadLoopAsync(MqttConnection connection)
    {
        // Yield first so the supervisor carries on with resends while this loop starts reading.
        await Task.Yield();
        try
        {
            while (true)
            {
                var packet = await connection.ReadAsync(connection.Aborted);
                if (packet is null)
                {
                    connection.Abort("the broker closed the connection");
                    return;
                }

                await HandleAsync(connection, packet);
            }
        }
        catch (MqttProtocolException ex)
        {
            Interlocked.Increment(ref Statistics.ProtocolViolationsField);
            LogProtocolViolation(connection.Endpoint, ex.Message);
            await TryDisconnectAsync(connection, ex.ReasonCode ?? MqttReasonCode.ProtocolError);
            connection.Abort($"protocol violation: {ex.Message}");
        }
        catch (MqttException ex)
        {
            connection.Abort(ex.Message);
        }
        catch (OperationCanceledException)
        {
            connection.Abort("aborted");
        }
#pragma warning disable CA1031 // Whatever goes wrong on one connection closes that connection, never the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnexpected(connection.Endpoint, ex);
            connection.Abort($"unexpected error: {ex.Message}");
        }
    }

    private async Task TryDisconnectAsync(MqttConnection connection, MqttReasonCode reason)
    {
        if (connection.Version != MqttProtocolVersion.V500)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await connection.SendAsync(new DisconnectPacket { ReasonCode = reason }, timeout.Token).AsTask().WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            LogDisconnectNotSent(connection.Endpoint, ex.Message);
        }
    }

    private async ValueTask HandleAsync(MqttConnection connection, MqttPacket packet)
    {
        switch (packet)
        {
            case PubAckPacket { Type: MqttPacketType.PubAck } ack:
                Complete(ack.PacketId, ack.ReasonCode, MqttQualityOfService.AtLeastOnce);
                break;
            case PubAckPacket { Type: MqttPacketType.PubRec } rec:
                await HandlePubRecAsync(connection, rec);
                break;
            case PubAckPacket { Type: MqttPacketType.PubComp } comp:
                Complete(comp.PacketId, comp.ReasonCode, MqttQualityOfService.ExactlyOnce);
                break;
            case PubAckPacket { Type: MqttPacketType.PubRel } rel:
                lock (_gate)
                {
                    _incomingQos2.Remove(rel.PacketId);
                }

                await connection.SendAsync(new PubAckPacket(MqttPacketType.PubComp, rel.PacketId), connection.Aborted);
                break;
            case PublishPacket publish:
                QueueDelivery(connection, publish);
                break;
            case SubAckPacket subAck:
                TaskCompletionSource<SubAckPacket>? request;
                lock (_gate)
                {
                    _requests.TryGetValue(subAck.PacketId, out request);
                }

                if (request is null)
                {
                    throw new MqttProtocolException($"{subAck} for packet identifier {subAck.PacketId}, which no request uses.", MqttReasonCode.ProtocolError);
                }

                request.TrySetResult(subAck);
                break;
            case PingPacket { Type: MqttPacketType.PingResp }:
                if (connection.PingOutstanding)
                {
                    RecordRoundTrip(connection.LastPingSent);
                }

                connection.PingOutstanding = false;
                break;
            case DisconnectPacket { Type: MqttPacketType.Disconnect } disconnect:
                var text = disconnect.Properties?.ReasonString is { } reasonString ? $" ({reasonString})" : "";
                LogServerDisconnect(connection.Endpoint, disconnect.ReasonCode, text);
                connection.Abort($"the broker sent DISCONNECT {disconnect.ReasonCode}{text}");
                break;
            default:
                throw new MqttProtocolException($"The broker sent {packet}, which a server never sends to a client.", MqttReasonCode.ProtocolError);
        }
    }

    private void Complete(ushort packetId, MqttReasonCode reason, MqttQualityOfService expected)
    {
        OutgoingPublish? entry;
        lock (_gate)
        {
            if (!_inFlight.TryGetValue(packetId, out entry) || entry.Message.QualityOfService != expected)
            {
                entry = null;
            }
            else
            {
                _inFlight.Remove(packetId);
                _inFlightOrder.Remove(entry.Node!);
                WakeOneWaiter();
            }
        }

        if (entry is null)
        {
            // After a reconnect the broker may acknowledge a packet twice; harmless.
            LogUnknownAck(packetId);
            return;
        }

        if ((byte)reason >= 0x80)
        {
            entry.Completion.TrySetException(new MqttException($"The broker refused the publish to '{entry.Message.Topic}': {reason}.", reason));
        }
        else
        {
            Interlocked.Increment(ref Statistics.AcknowledgedField);
            entry.Completion.TrySetResult();
        }
    }

    private async Task HandlePubRecAsync(MqttConnection connection, PubAckPacket rec)
    {
        OutgoingPublish? entry;
        lock (_gate)
        {
            _inFlight.TryGetValue(rec.PacketId, out entry);
            if (entry is not null && (byte)rec.ReasonCode < 0x80)
            {
                entry.Released = true;
            }
        }

        if (entry is not null && (byte)rec.ReasonCode >= 0x80)
        {
            Complete(rec.PacketId, rec.ReasonCode, MqttQualityOfService.ExactlyOnce);
            return;
        }

        var release = new PubAckPacket(MqttPacketType.PubRel, rec.PacketId)
        {
            ReasonCode = entry is null ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.Success,
        };
        await connection.SendAsync(release, connection.Aborted);
    }

    // On the read loop: never waits. The handler and the acknowledgement happen on the delivery loop, in order.
    private void QueueDelivery(MqttConnection connection, PublishPacket publish)
    {
        var deliver = true;
        switch (publish.Message.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                if (Interlocked.Increment(ref _pendingQos0) > MaxPendingQos0Deliveries)
                {
                    // Nothing to acknowledge and nothing the broker would resend: QoS 0 is allowed to be lost, the
                    // connection is not allowed to stall. Counted, and logged the first time.
                    Interlocked.Decrement(ref _pendingQos0);
                    if (Interlocked.Increment(ref Statistics.IncomingDroppedField) == 1)
                    {
                        LogIncomingDropped(publish.Message.Topic, MaxPendingQos0Deliveries);
                    }

                    return;
                }

                break;
            default:
                if (Interlocked.Increment(ref connection.UnacknowledgedIncoming) > _options.ReceiveMaximum && connection.Version == MqttProtocolVersion.V500)
                {
                    throw new MqttProtocolException(
                        $"The broker sent more than our receive maximum of {_options.ReceiveMaximum} unacknowledged QoS 1/2 publishes.",
                        MqttReasonCode.ReceiveMaximumExceeded);
                }

                if (publish.Message.QualityOfService == MqttQualityOfService.ExactlyOnce)
                {
                    lock (_gate)
                    {
                        // Exactly once: a PUBLISH we already hold (awaiting PUBREL) is not delivered again.
                        deliver = _incomingQos2.Add(publish.PacketId);
                    }
                }

                break;
        }

        _deliveries.Writer.TryWrite(new IncomingDelivery(connection, publish, deliver));
    }

    // One loop per client for the life of the client: messages reach the handler one at a time in arrival order, and
    // each QoS 1/2 message is acknowledged once its handler returned (on the connection it came on, if that still runs;
    // otherwise the broker sends it again).
    private async Task DeliverAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var (connection, publish, deliver) in _deliveries.Reader.ReadAllAsync(stop))
            {
                if (publish.Message.QualityOfService == MqttQualityOfService.AtMostOnce)
                {
                    Interlocked.Decrement(ref _pendingQos0);
                }

                if (deliver)
                {
                    Interlocked.Increment(ref Statistics.ReceivedField);
                    if (MessageReceived is { } handler)
                    {
                        try
                        {
                            await handler(publish.Message, connection.Aborted);
                        }
                        catch (OperationCanceledException) when (connection.Aborted.IsCancellationRequested)
                        {
                            // The connection ended under the handler.
                        }
#pragma warning disable CA1031 // A failing handler must not stop the deliveries; it is logged.
                        catch (Exception ex)
#pragma warning restore CA1031
                        {
                            LogCallbackFailed("MessageReceived", ex);
                        }
                    }
                }

                if (publish.Message.QualityOfService != MqttQualityOfService.AtMostOnce)
                {
                    Interlocked.Decrement(ref connection.UnacknowledgedIncoming);
                    await AcknowledgeAsync(connection, publish);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: what was not acknowledged the broker sends again to the next session.
        }
    }

    private static async Task AcknowledgeAsync(MqttConnection connection, PublishPacket publish)
    {
        if (connection.Aborted.IsCancellationRequested)
        {
            return;
        }

        var type = publish.Message.QualityOfService == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        try
        {
            await connection.SendAsync(new PubAckPacket(type, publish.PacketId), connection.Aborted);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is ending (its read loop reports why); the broker resends the message to the next session.
        }
    }
}
