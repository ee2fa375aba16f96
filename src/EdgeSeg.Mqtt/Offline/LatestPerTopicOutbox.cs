using Microsoft.Extensions.Logging;

namespace EdgeSeg.Mqtt;

/// <summary>
/// Latest-only stream: one pending message per topic, replaced by newer ones. While the broker is away nothing
/// accumulates beyond one message per topic; when it returns, each topic's newest message goes out.
/// </summary>
internal sealed partial class LatestPerTopicOutbox : MqttOutbox
{
    private readonly ILogger _logger;
    private readonly Dictionary<string, MqttMessage> _latest = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private int _inFlight;

    public LatestPerTopicOutbox(MqttClient client, MqttOutboxOptions options, ILogger logger)
        : base(client, options)
    {
        _logger = logger;
    }

    public override long QueueDepth
    {
        get
        {
            lock (Gate)
            {
                return _latest.Count + _inFlight;
            }
        }
    }

    public override bool TryEnqueue(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopic.ValidateTopicName(message.Topic, nameof(message));
        lock (Gate)
        {
            if (IsDisposed)
            {
                CountDropped();
                return false;
            }

            if (_latest.ContainsKey(message.Topic))
            {
                _latest[message.Topic] = message;
                CountDropped();
                return true;
            }

            _latest.Add(message.Topic, message);
            _order.Enqueue(message.Topic);
            Signal.Release();
        }

        return true;
    }

    private protected override bool IsDrained => _latest.Count + _inFlight == 0;

    private protected override async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Signal.WaitAsync(stop);

                // Wait for the connection before taking the message, so the newest one is what goes out after an outage.
                await Client.WaitUntilConnectedAsync(stop);
                MqttMessage message;
                lock (Gate)
                {
                    var topic = _order.Dequeue();
                    message = _latest[topic];
                    _latest.Remove(topic);
                    _inFlight++;
                }

                try
                {
                    var acknowledged = await Client.SendPublishAsync(message, stop);
                    _ = ObserveAsync(acknowledged, message.Topic);
                }
                catch (MqttException ex)
                {
                    LogDropped(Name, message.Topic, ex.Message);
                    Finish(delivered: false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (MqttException ex)
        {
            LogPumpStopped(Name, ex.Message);
        }
    }

    private async Task ObserveAsync(Task acknowledged, string topic)
    {
        try
        {
            await acknowledged;
            Finish(delivered: true);
        }
        catch (MqttException ex)
        {
            LogDropped(Name, topic, ex.Message);
            Finish(delivered: false);
        }
    }

    private void Finish(bool delivered)
    {
        if (delivered)
        {
            CountDelivered();
        }
        else
        {
            CountDropped();
        }

        lock (Gate)
        {
            _inFlight--;
            if (IsDrained)
            {
                SignalDrained();
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "MQTT stream {Stream}: message to {Topic} dropped: {Reason}")]
    private partial void LogDropped(string stream, string topic, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "MQTT stream {Stream} stopped: {Reason}")]
    private partial void LogPumpStopped(string stream, string reason);
}
