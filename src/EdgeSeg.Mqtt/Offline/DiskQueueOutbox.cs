using Microsoft.Extensions.Logging;

namespace EdgeSeg.Mqtt;

/// <summary>
/// Must-not-lose stream: every message goes to a bounded <see cref="DiskQueue"/> first; a pump publishes the queue
/// in order with up to <see cref="MqttOutboxOptions.MaxInFlight"/> unacknowledged, and commits the head only as
/// acknowledgements arrive in order. While the broker is away the pump waits and the queue grows; after a restart
/// the uncommitted records are published again (at least once). A store that fails (a full disk) refuses messages
/// with one log line and a counter (<see cref="StoreFailureCount"/>), and accepts again by itself once the queue has
/// drained enough to free space.
/// </summary>
internal sealed partial class DiskQueueOutbox : MqttOutbox
{
    private readonly ILogger _logger;
    private readonly DiskQueue _queue;
    private bool _failing;
    private long _storeFailures;
    private long _refusedThisRun;
    private string? _lastStoreError;

    public DiskQueueOutbox(MqttClient client, MqttOutboxOptions options, ILogger logger)
        : base(client, options)
    {
        _logger = logger;
        var directory = Path.Combine(options.QueueDirectory!, options.Name);
        _queue = new DiskQueue(directory, durable: options.Durable);
        if (_queue.Count > 0)
        {
            LogRecovered(Name, _queue.Count, directory);
        }
    }

    public override long QueueDepth
    {
        get
        {
            lock (Gate)
            {
                return IsDisposed ? 0 : _queue.Count;
            }
        }
    }

    public override bool IsAccepting
    {
        get
        {
            lock (Gate)
            {
                return !_failing;
            }
        }
    }

    public override long StoreFailureCount => Interlocked.Read(ref _storeFailures);

    public override string? LastStoreError
    {
        get
        {
            lock (Gate)
            {
                return _lastStoreError;
            }
        }
    }

    public override bool TryEnqueue(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopic.ValidateTopicName(message.Topic, nameof(message));
        var record = StoredMessage.Serialize(message);
        lock (Gate)
        {
            if (IsDisposed || _queue.Count >= Options.MaxQueuedMessages)
            {
                CountDropped();
                return false;
            }

            try
            {
                _queue.Append(record);
            }
            catch (IOException ex)
            {
                // Once per run of failures, not once per frame: the counter says how many were refused.
                Interlocked.Increment(ref _storeFailures);
                _refusedThisRun++;
                _lastStoreError = ex.Message;
                if (!_failing)
                {
                    _failing = true;
                    LogAppendFailed(Name, ex.Message);
                }

                CountDropped();
                return false;
            }

            if (_failing)
            {
                _failing = false;
                LogAcceptingAgain(Name, _refusedThisRun);
                _refusedThisRun = 0;
            }

            Signal.Release();
        }

        return true;
    }

    private protected override bool IsDrained => _queue.Count == 0;

    private protected override void ReleaseStore() => _queue.Dispose();

    private protected override async Task PumpAsync(CancellationToken stop)
    {
        var inFlight = new Queue<(DiskQueuePosition After, Task Acknowledged)>();
        Task? signalled = null;
        try
        {
            while (true)
            {
                // Commit acknowledgements in queue order: the head never passes an unacknowledged record.
                if (!CommitCompleted(inFlight))
                {
                    return;
                }

                if (inFlight.Count >= Options.MaxInFlight)
                {
                    await Task.WhenAny(inFlight.Peek().Acknowledged, Task.Delay(Timeout.Infinite, stop));
                    stop.ThrowIfCancellationRequested();
                    continue;
                }

                bool got;
                byte[] record;
                DiskQueuePosition after;
                lock (Gate)
                {
                    got = _queue.TryReadNext(out record, out after);
                }

                if (!got)
                {
                    // One outstanding wait on the signal at a time, so no release is swallowed by an abandoned wait.
                    signalled ??= Signal.WaitAsync(stop);
                    var first = inFlight.Count > 0 ? inFlight.Peek().Acknowledged : Task.Delay(Timeout.Infinite, stop);
                    await Task.WhenAny(signalled, first);
                    stop.ThrowIfCancellationRequested();
                    if (signalled.IsCompleted)
                    {
                        signalled = null;
                    }

                    continue;
                }

                MqttMessage message;
                try
                {
                    message = StoredMessage.Deserialize(record);
                }
                catch (InvalidDataException ex)
                {
                    LogCorrupt(Name, ex.Message);
                    inFlight.Enqueue((after, Task.FromException(ex)));
                    continue;
                }

                var acknowledged = await Client.SendPublishAsync(message, stop);
                inFlight.Enqueue((after, acknowledged));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is not committed stays on disk for the next start.
        }
        catch (MqttException ex)
        {
            LogPumpStopped(Name, ex.Message);
        }
    }

    // Returns false when the client stopped under an unacknowledged record (which stays queued).
    private bool CommitCompleted(Queue<(DiskQueuePosition After, Task Acknowledged)> inFlight)
    {
        var committed = 0;
        var last = default(DiskQueuePosition);
        var keepGoing = true;
        while (inFlight.Count > 0 && inFlight.Peek().Acknowledged.IsCompleted)
        {
            var (after, acknowledged) = inFlight.Peek();
            if (acknowledged.Exception?.InnerException is MqttException { ReasonCode: null })
            {
                keepGoing = false;
                break;
            }

            inFlight.Dequeue();
            if (acknowledged.IsCompletedSuccessfully)
            {
                CountDelivered();
            }
            else
            {
                // Refused by the broker (a reason code) or unreadable: retrying cannot help.
                LogRefused(Name, acknowledged.Exception?.InnerException?.Message ?? "cancelled");
                CountDropped();
            }

            committed++;
            last = after;
        }

        if (committed > 0)
        {
            lock (Gate)
            {
                if (!IsDisposed)
                {
                    _queue.Commit(last, committed);
                    if (IsDrained)
                    {
                        SignalDrained();
                    }
                }
            }
        }

        return keepGoing;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "MQTT stream {Stream}: {Count} queued messages recovered from {Directory}")]
    private partial void LogRecovered(string stream, long count, string directory);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "MQTT stream {Stream}: cannot append to the disk queue: {Reason}; refusing new messages until it can (counted in StoreFailureCount, logged again when it recovers)")]
    private partial void LogAppendFailed(string stream, string reason);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information, Message = "MQTT stream {Stream}: the disk queue accepts messages again, after refusing {Count}")]
    private partial void LogAcceptingAgain(string stream, long count);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "MQTT stream {Stream}: skipping a corrupt queued record: {Reason}")]
    private partial void LogCorrupt(string stream, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "MQTT stream {Stream}: message dropped: {Reason}")]
    private partial void LogRefused(string stream, string reason);

    [LoggerMessage(EventId = 44, Level = LogLevel.Debug, Message = "MQTT stream {Stream} stopped: {Reason}")]
    private partial void LogPumpStopped(string stream, string reason);
}
