namespace EdgeSeg.Service.LivePage;

/// <summary>How the live page's update streams (<c>/api/live/stream</c>) pace and give up on their clients. A singleton.</summary>
internal sealed class LiveStreamOptions
{
    /// <summary>How often a stream sends the document (default 250 ms).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long one update may wait for a client that does not read before the stream is closed (default 3 s, under
    /// Kestrel's own 5 s grace for a response that stops moving, so that the stream is closed, and counted, here).
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
