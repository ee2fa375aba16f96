using System.Diagnostics;
using EdgeSeg.Service.Configuration;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// What the live page shows beyond health and metrics: per configured source its <see cref="LiveSource"/>, in
/// configuration order; when the process started; and how many update streams are open (they are capped, so a crowd
/// of browsers cannot take the service's memory). Thread-safe; a singleton.
/// </summary>
internal sealed class LiveState
{
    /// <summary>Update streams open at once, at most; one more is refused with 503.</summary>
    public const int MaxStreams = 16;

    private readonly Dictionary<string, LiveSource> _byId;
    private int _streams;

    /// <summary>Creates the per-source state of every configured source.</summary>
    public LiveState(EdgeSegSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Sources = [.. settings.Sources.Select(s => new LiveSource(s.Id))];
        _byId = Sources.ToDictionary(s => s.Id, StringComparer.Ordinal);
        using var self = Process.GetCurrentProcess();
        Started = new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    /// <summary>Every configured source, in configuration order.</summary>
    public IReadOnlyList<LiveSource> Sources { get; }

    /// <summary>When the process started (for the uptime).</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Update streams open now.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>The source with id <paramref name="sourceId"/>, or null when it is not configured.</summary>
    public LiveSource? Find(string sourceId) => _byId.GetValueOrDefault(sourceId);

    /// <summary>Counts one more open stream unless <see cref="MaxStreams"/> are open; false when refused.</summary>
    public bool TryOpenStream()
    {
        while (true)
        {
            var open = Volatile.Read(ref _streams);
            if (open >= MaxStreams)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _streams, open + 1, open) == open)
            {
                return true;
            }
        }
    }

    /// <summary>Counts a stream closed (after a successful <see cref="TryOpenStream"/>).</summary>
    public void CloseStream() => Interlocked.Decrement(ref _streams);
}
