namespace EdgeSeg.Mqtt;

/// <summary>
/// A named flow of outgoing messages with its own offline behaviour. <see cref="TryEnqueue"/> never blocks the
/// producer (a frame pipeline); a pump publishes in the background whenever the client is connected.
/// Created by <see cref="MqttClient.CreateOutbox"/>; the client owns and disposes it.
/// </summary>
public abstract class MqttOutbox : IDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _pump;
    private TaskCompletionSource? _drained;
    private bool _disposed;
    private long _dropped;
    private long _delivered;

    private protected MqttOutbox(MqttClient client, MqttOutboxOptions options)
    {
        Client = client;
        Options = options;
    }

    /// <summary>The stream's name.</summary>
    public string Name => Options.Name;

    /// <summary>The stream's options.</summary>
    public MqttOutboxOptions Options { get; }

    /// <summary>Messages waiting (and, for a disk queue, sent but not yet acknowledged).</summary>
    public abstract long QueueDepth { get; }

    /// <summary>Messages dropped: replaced by a newer one (latest-only), refused by a full queue, or lost with a dropped QoS 0 connection.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Messages delivered: written (QoS 0) or acknowledged (QoS 1/2).</summary>
    public long DeliveredCount => Interlocked.Read(ref _delivered);

    /// <summary>
    /// False while the outbox cannot store new messages (a disk queue whose disk is full or failing): it refuses them
    /// (counted in <see cref="DroppedCount"/> and <see cref="StoreFailureCount"/>) and tries again with each new
    /// message, turning true by itself once one is stored. Always true for a latest-only outbox.
    /// </summary>
    public virtual bool IsAccepting => true;

    /// <summary>Messages refused because storing them failed (a full disk), since the outbox was created.</summary>
    public virtual long StoreFailureCount => 0;

    /// <summary>Why the last store failed ("No space left on device"), or null if none has.</summary>
    public virtual string? LastStoreError => null;

    private protected MqttClient Client { get; }

    /// <summary>Guards the stream's store, and the drained wait with it.</summary>
    private protected Lock Gate { get; } = new();

    /// <summary>Released once per message stored, to wake the pump.</summary>
    private protected SemaphoreSlim Signal { get; } = new(0);

    /// <summary>True when nothing is stored or awaiting acknowledgement; read under <see cref="Gate"/>.</summary>
    private protected abstract bool IsDrained { get; }

    /// <summary>
    /// True once disposed: <see cref="TryEnqueue"/> refuses and <see cref="FlushAsync"/> returns. Read under
    /// <see cref="Gate"/>; a message is stored and <see cref="Signal"/> released under it too, so neither meets a
    /// released store or a disposed signal.
    /// </summary>
    private protected bool IsDisposed => _disposed;

    /// <summary>
    /// Queues <paramref name="message"/> for publishing and returns at once. False when it was refused (a full disk
    /// queue, or an outbox already disposed); a latest-only stream otherwise always takes it (dropping an older message
    /// for the same topic). A refused message counts in <see cref="DroppedCount"/>.
    /// </summary>
    public abstract bool TryEnqueue(MqttMessage message);

    /// <summary>
    /// Waits until the queue is empty and everything sent was acknowledged, or the outbox is disposed (what it still
    /// holds then stays on disk for a disk queue, and is dropped by a latest-only one).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task drained;
            lock (Gate)
            {
                if (_disposed || IsDrained)
                {
                    return;
                }

                drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await drained.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the pump; called by the client when it starts.</summary>
    internal void Start(CancellationToken stopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _pump = Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Stops the pump and waits for it; what it has not sent stays stored.</summary>
    internal async Task StopAsync()
    {
        if (_stop is null || _pump is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _pump;
    }

    /// <summary>
    /// Tells the pump to stop, releases the store (files) and the signal, and lets waiting flushes return; called by
    /// the client after <see cref="StopAsync"/>. Idempotent.
    /// </summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Outside the gate: cancelling may run the pump's continuation on this thread, and it takes the gate.
        _stop?.Cancel();
        lock (Gate)
        {
            ReleaseStore();
            SignalDrained();
        }

        _stop?.Dispose();
        Signal.Dispose();
    }

    /// <summary>Publishes what is stored, whenever the client is connected, until <paramref name="stop"/>.</summary>
    private protected abstract Task PumpAsync(CancellationToken stop);

    /// <summary>Releases what holds the stored messages; called once, under <see cref="Gate"/>, after the pump is told to stop.</summary>
    private protected virtual void ReleaseStore()
    {
    }

    /// <summary>Completes the waits of <see cref="FlushAsync"/>; call under <see cref="Gate"/> once <see cref="IsDrained"/> (or disposed).</summary>
    private protected void SignalDrained()
    {
        if (_drained is { } drained)
        {
            _drained = null;
            drained.TrySetResult();
        }
    }

    private protected void CountDropped() => Interlocked.Increment(ref _dropped);

    private protected void CountDelivered() => Interlocked.Increment(ref _delivered);
}
