using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeSegSubscriber;

/// <summary>
/// Keeps one persistent MQTT 5 session with the broker and prints every message it delivers. MQTTnet 5 has no
/// managed (auto-reconnecting) client, so the reconnect loop is here: connect, subscribe when the broker has no session
/// for us, wait until the connection drops, back off, and connect again.
/// </summary>
internal sealed class Subscriber(SubscriberOptions options, MessagePrinter printer, TextWriter log)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled, then disconnects cleanly (the session stays).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var connectOptions = factory.CreateClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(options.ClientId)
            // A persistent session: the broker keeps our subscriptions and queues QoS 1 messages while we are away.
            .WithCleanStart(false)
            .WithSessionExpiryInterval(options.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var subscribe = factory.CreateSubscribeOptionsBuilder();
        foreach (var filter in StreamTopic.Filters(options.Prefix, options.Device))
        {
            subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }

        var subscribeOptions = subscribe.Build();
        client.ApplicationMessageReceivedAsync += e =>
        {
            printer.Print(e.ApplicationMessage);
            return Task.CompletedTask;
        };

        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            // Only signals the loop below; reconnecting inside this handler would run on the client's own task.
            lost.TrySetResult(e.ReasonString ?? e.Reason.ToString());
            return Task.CompletedTask;
        };

        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                var connected = await client.ConnectAsync(connectOptions, stopping);
                log.WriteLine($"connected to {options.Host}:{options.Port} as {options.ClientId} (session present: {connected.IsSessionPresent})");
                if (!connected.IsSessionPresent)
                {
                    // A new session: subscribe. A resumed one still has its subscriptions, and the broker now sends what it kept.
                    var granted = await client.SubscribeAsync(subscribeOptions, stopping);
                    log.WriteLine("subscribed: " + string.Join(", ", granted.Items.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})")));
                }

                backoff = TimeSpan.FromSeconds(1);
                var reason = await lost.Task.WaitAsync(stopping);
                log.WriteLine($"connection lost ({reason}); reconnecting in {backoff.TotalSeconds:0} s");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is MqttCommunicationException or MqttProtocolViolationException or OperationCanceledException)
            {
                log.WriteLine($"cannot connect to {options.Host}:{options.Port}: {ex.Message}; retrying in {backoff.TotalSeconds:0} s");
            }

            try
            {
                await Task.Delay(backoff, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        if (client.IsConnected)
        {
            // A normal DISCONNECT: no will, and the session (with what arrives meanwhile) waits for the next run.
            await client.DisconnectAsync(factory.CreateClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
            log.WriteLine("disconnected; the broker keeps the session for " + options.SessionExpirySeconds + " s");
        }
    }
}
