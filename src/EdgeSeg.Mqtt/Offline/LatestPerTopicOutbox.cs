using Microsoft.Extensions.Logging;

namespace EdgeSeg.Mqtt;

/// <summary>
/// Latest-only stream: one pending message per topic, replaced by newer ones. While the broker is away nothing
/// accumulates beyond one message per topic; when it returns, each topic's newest message goes out.
/// </summary>
internal sealed partial class LatestPerTopicOutbox : MqttOutbox
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MqttMessage> _latest = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly SemaphoreSlim _signal = new(0);
    private CancellationTokenSource? _stop;
    private Task? _pump;
    private int _inFlight;
    private TaskCompletionSource? _drained;

    public LatestPerTopicOutbox(MqttClient client, MqttOutboxOptions options, ILogger logger)
        : base(client, options)
    {
        _logger = logger;
    }

    public override long QueueDepth
    {
        get
        {
            lock (_gate)
            {
                return _latest.Count + _inFlight;
            }
        }
    }

    public override bool TryEnqueue(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopic.ValidateTopicName(message.Topic, nameof(message));
        lock (_gate)
        {
            if (_latest.ContainsKey(message.Topic))
            {
                _latest[message.Topic] = message;
                CountDropped();
                return true;
            }

            _latest.Add(message.Topic, message);
            _order.Enqueue(message.Topic);
        }

        _signal.Release();
        return true;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task drained;
            lock (_gate)
            {
                if (_latest.Count + _inFlight == 0)
                {
                    return;
                }

                drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await drained.WaitAsync(cancellationToken);
        }
    }

    internal override void Start(CancellationToken stopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _pump = Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
    }

    internal override async Task StopAsync()
    {
        if (_stop is null || _pump is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _pump;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop?.Cancel();
            _stop?.Dispose();
            _signal.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stop);

                // Wait for the connection before taking the message, so the newest one is what goes out after an outage.
                await Client.WaitUntilConnectedAsync(stop);
                MqttMessage message;
                lock (_gate)
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

        lock (_gate)
        {
            _inFlight--;
            if (_latest.Count + _inFlight == 0 && _drained is { } drained)
            {
                _drained = null;
                drained.TrySetResult();
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "MQTT stream {Stream}: message to {Topic} dropped: {Reason}")]
    private partial void LogDropped(string stream, string topic, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "MQTT stream {Stream} stopped: {Reason}")]
    private partial void LogPumpStopped(string stream, string reason);
}
