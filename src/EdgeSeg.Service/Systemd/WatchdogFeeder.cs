using EdgeSeg.Service.Health;

namespace EdgeSeg.Service.Systemd;

/// <summary>
/// Decides, at each watchdog tick, whether to send <c>WATCHDOG=1</c>: only when frames completed the pipeline since
/// the previous tick. A process that is alive but whose pipeline is stuck therefore stops feeding the watchdog, and
/// systemd restarts it. The first tick after start-up feeds unconditionally (no frame may have been due yet).
/// </summary>
internal sealed class WatchdogFeeder(SystemdNotifier notifier, FrameHeartbeat heartbeat)
{
    private long _lastFrames = -1;

    /// <summary>Frames counted at the last tick.</summary>
    public long LastFrames => _lastFrames;

    /// <summary>One tick: feeds the watchdog when the pipeline moved; returns whether it was fed.</summary>
    public bool Tick()
    {
        var frames = heartbeat.Frames;
        var first = _lastFrames < 0;
        if (!first && frames == _lastFrames)
        {
            return false;
        }

        _lastFrames = frames;
        return notifier.Watchdog();
    }
}
