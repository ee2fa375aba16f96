using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Systemd;

public sealed class SystemdLifecycleServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Host_WithNotifySocket_SendsReadyThenStopping()
    {
        using var socket = new NotifySocket();
        var environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address };
        await using (var host = await RunningHost.StartAsync(k => environment.GetValueOrDefault(k)))
        {
            var ready = await socket.ReceiveUntilAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Timeout);
            Assert.Equal("READY=1\nSTATUS=cam0 starting; model not loaded; mqtt disconnected", ready[^1]);
        }

        var stopping = await socket.ReceiveUntilAsync(m => m == "STOPPING=1", Timeout);
        Assert.DoesNotContain(stopping, m => m.StartsWith("READY=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_WithWatchdogAndStalledPipeline_FeedsOnceThenStops()
    {
        using var socket = new NotifySocket();
        var environment = new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            // 0.2 s watchdog: ticks every 0.1 s.
            ["WATCHDOG_USEC"] = "200000",
        };
        await using var host = await RunningHost.StartAsync(k => environment.GetValueOrDefault(k));

        // The first tick feeds (nothing was due yet); with no frame moving, the following ticks send only STATUS.
        var first = await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);
        var after = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal), Timeout);
        var more = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal), Timeout);
        var third = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal), Timeout);

        Assert.Contains(first, m => m.StartsWith("READY=1", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Concat(more).Concat(third), m => m == "WATCHDOG=1");

        // Frames move: fed again.
        host.Get<Service.Health.FrameHeartbeat>().Beat();
        await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);
    }
}
