using EdgeSeg.Service.Health;

namespace EdgeSeg.Service.Systemd;

/// <summary>
/// Decides, at each watchdog tick, whether to send <c>WATCHDOG=1</c>: only when frames completed the pipeline since
/// the previous tick and the service has no end-to-end problem (<see cref="ServiceHealth.Problems"/>: frames all
/// failing, a running source silent, messages refused or never acknowledged). A process that is alive but does not do
/// its job therefore stops feeding the watchdog, and systemd restarts it. The first tick after start-up feeds
/// unconditionally (no frame may have been due yet).
/// </summary>
internal sealed class WatchdogFeeder(SystemdNotifier notifier, FrameHeartbeat heartbeat, ServiceHealth health)
{
    private long _lastFrames = -1;

    /// <summary>Frames counted at the last tick.</summary>
    public long LastFrames => _lastFrames;

    /// <summary>One tick: feeds the watchdog when the pipeline moved; returns whether it was fed.</summary>
    public bool Tick()
    {
        var frames = heartbeat.Frames;
        var first = _lastFrames < 0;
        if (!first && (frames == _lastFrames || health.Problems.Count > 0))
        {
            _lastFrames = frames;
            return false;
        }

        _lastFrames = frames;
        return notifier.Watchdog();
    }
}
