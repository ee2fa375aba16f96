using System.Collections.Concurrent;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;
using EdgeSeg.Service.Inference;
using EdgeSeg.Service.Metrics;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Health;

/// <summary>
/// The latest overlay JPEG per source for <c>/snapshot/{source}.jpg</c> and the live page. Rendering an overlay costs a
/// blend and a JPEG encode, so the pipeline renders one only when asked: <see cref="IsWanted"/> is a cheap check per
/// frame, <see cref="GetAsync"/> raises the flag and waits for the next frame's overlay, and <see cref="Capture"/>
/// copies that frame and its mask and renders them on the thread pool, off the frame path. Each render counts in
/// <c>edgeseg_snapshot_renders_total{source}</c>, so "nothing is rendered while nobody looks" can be checked from
/// outside. Thread-safe; a singleton.
/// </summary>
internal sealed partial class SnapshotStore(TimeProvider time, ServiceMetrics metrics, ILogger<SnapshotStore> logger)
{
    private const float OverlayAlpha = 0.5f;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ILogger _logger = logger;

    /// <summary>Sources whose snapshot can be asked for.</summary>
    public IEnumerable<string> Sources => _entries.Keys;

    /// <summary>Makes <paramref name="sourceId"/> known (so that a request for it waits instead of answering 404).</summary>
    public void Register(string sourceId) => _entries.GetOrAdd(sourceId, NewEntry);

    /// <summary>Whether someone waits for a snapshot of <paramref name="sourceId"/> (cheap: one volatile read).</summary>
    public bool IsWanted(string sourceId) => _entries.TryGetValue(sourceId, out var entry) && entry.Wanted;

    /// <summary>
    /// Called by the pipeline for every frame: when someone waits for a snapshot of <paramref name="sourceId"/> and no
    /// render of it is in flight, copies <paramref name="frame"/> and <paramref name="mask"/> into the source's own
    /// buffers (reused from one render to the next) and renders and encodes them on the thread pool; otherwise does
    /// nothing. Never blocks and never waits for the render: the frame and mask may be returned to their pools as soon
    /// as this returns. True when a render was started.
    /// </summary>
    public bool Capture(string sourceId, ImageBuffer frame, Mask mask, int jpegQuality)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(mask);
        if (!_entries.TryGetValue(sourceId, out var entry) || !entry.Wanted)
        {
            return false;
        }

        // One render per source at a time: frames that arrive while one is in flight pass by untouched.
        if (Interlocked.CompareExchange(ref entry.Rendering, 1, 0) != 0)
        {
            return false;
        }

        entry.CopyFrom(frame, mask, jpegQuality);
        ThreadPool.UnsafeQueueUserWorkItem(entry, preferLocal: false);
        return true;
    }

    /// <summary>Stores an overlay JPEG (the store keeps the array; the caller must not reuse it) and wakes waiters.</summary>
    public void Offer(string sourceId, byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        var entry = _entries.GetOrAdd(sourceId, NewEntry);
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

    private Entry NewEntry(string sourceId) => new(this, sourceId, metrics.SnapshotRenders.WithLabels(sourceId));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot overlay of source {Source} could not be rendered: {Reason}")]
    private static partial void LogRenderFailed(ILogger logger, string source, string reason);

    private sealed class Entry(SnapshotStore store, string sourceId, Counter renders) : IThreadPoolWorkItem
    {
        private volatile bool _wanted;
        private ImageBuffer? _frame;
        private Mask? _mask;
        private ImageBuffer? _overlay;
        private int _quality;

        // 1 while a render of this source is queued or running; the copy buffers belong to that render until then.
        public int Rendering;

        public byte[]? Latest { get; set; }

        public DateTimeOffset Taken { get; set; }

        public TaskCompletionSource<byte[]> Waiters { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Wanted
        {
            get => _wanted;
            set => _wanted = value;
        }

        public void CopyFrom(ImageBuffer frame, Mask mask, int quality)
        {
            if (_frame is null || _frame.Width != frame.Width || _frame.Height != frame.Height || _frame.Channels != frame.Channels)
            {
                _frame = new ImageBuffer(frame.Width, frame.Height, frame.Channels);
                _overlay = new ImageBuffer(frame.Width, frame.Height, 3);
            }

            if (_mask is null || _mask.Width != mask.Width || _mask.Height != mask.Height)
            {
                _mask = new Mask(mask.Width, mask.Height);
            }

            frame.Pixels.CopyTo(_frame.Pixels);
            mask.Pixels.CopyTo(_mask.Pixels);
            _quality = quality;
        }

        public void Execute()
        {
            try
            {
                OverlayRenderer.Render(_frame!, _mask!, OverlayAlpha, _overlay!);
                var jpeg = CvImage.Encode(_overlay!, ImageFormat.Jpeg, _quality);
                renders.Increment();
                store.Offer(sourceId, jpeg);
            }
            catch (Exception e) when (e is OpenCvException or ArgumentException)
            {
                // Waiters time out and get the previous snapshot; the next request tries again.
                LogRenderFailed(store._logger, sourceId, e.Message);
            }
            finally
            {
                Volatile.Write(ref Rendering, 0);
            }
        }
    }
}
