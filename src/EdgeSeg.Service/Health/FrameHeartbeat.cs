namespace EdgeSeg.Service.Health;

/// <summary>
/// Counts frames that completed the whole pipeline. The systemd watchdog is fed only while this moves, so a stalled
/// pipeline stops feeding it even though the process is alive. Lock-free; a singleton.
/// </summary>
internal sealed class FrameHeartbeat
{
    private long _frames;

    /// <summary>Frames completed so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Records one completed frame.</summary>
    public void Beat() => Interlocked.Increment(ref _frames);
}
