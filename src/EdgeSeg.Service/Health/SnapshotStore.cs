using System.Collections.Concurrent;

namespace EdgeSeg.Service.Health;

/// <summary>
/// The latest overlay JPEG per source for <c>/snapshot/{source}.jpg</c>. Rendering an overlay costs a blend and a
/// JPEG encode, so the pipeline renders one only when asked: <see cref="IsWanted"/> is a cheap check per frame, and
/// <see cref="GetAsync"/> raises the flag and waits for the next frame's overlay. Thread-safe; a singleton.
/// </summary>
internal sealed class SnapshotStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Sources whose snapshot can be asked for.</summary>
    public IEnumerable<string> Sources => _entries.Keys;

    /// <summary>Makes <paramref name="sourceId"/> known (so that a request for it waits instead of answering 404).</summary>
    public void Register(string sourceId) => _entries.TryAdd(sourceId, new Entry());

    /// <summary>Whether someone waits for a snapshot of <paramref name="sourceId"/> (cheap: one volatile read).</summary>
    public bool IsWanted(string sourceId) => _entries.TryGetValue(sourceId, out var entry) && entry.Wanted;

    /// <summary>Stores an overlay JPEG (the store keeps the array; the caller must not reuse it) and wakes waiters.</summary>
    public void Offer(string sourceId, byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        var entry = _entries.GetOrAdd(sourceId, static _ => new Entry());
        TaskCompletionSource<byte[]> waiters;
        lock (entry)
        {
            entry.Latest = jpeg;
            entry.Taken = time.GetUtcNow();
            waiters = entry.Waiters;
            entry.Waiters = new(TaskCreationOptions.RunContinuationsAsynchronously);
            entry.Wanted = false;
        }

        waiters.TrySetResult(jpeg);
    }

    /// <summary>
    /// A snapshot no older than <paramref name="maxAge"/>: the stored one when fresh enough, else the next one the
    /// pipeline renders within <paramref name="wait"/>, else the last one there is. Null when the source is unknown or
    /// never rendered one.
    /// </summary>
    public async Task<byte[]?> GetAsync(string sourceId, TimeSpan maxAge, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(sourceId, out var entry))
        {
            return null;
        }

        Task<byte[]> next;
        lock (entry)
        {
            if (entry.Latest is not null && time.GetUtcNow() - entry.Taken <= maxAge)
            {
                return entry.Latest;
            }

            entry.Wanted = true;
            next = entry.Waiters.Task;
        }

        try
        {
            return await next.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (entry)
            {
                return entry.Latest;
            }
        }
    }

    private sealed class Entry
    {
        public byte[]? Latest { get; set; }

        public DateTimeOffset Taken { get; set; }

        public TaskCompletionSource<byte[]> Waiters { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private volatile bool _wanted;

        public bool Wanted
        {
            get => _wanted;
            set => _wanted = value;
        }
    }
}
