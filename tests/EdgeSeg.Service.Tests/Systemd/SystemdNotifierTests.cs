using EdgeSeg.Service.Health;
using EdgeSeg.Service.Systemd;
using EdgeSeg.Service.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSeg.Service.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ready_RealDatagramSocket_ReceivesReadyAndStatus(bool abstractNamespace)
    {
        using var socket = new NotifySocket(abstractNamespace);
        using var notifier = new SystemdNotifier(socket.Address, null, NullLogger<SystemdNotifier>.Instance);

        Assert.True(notifier.Ready("cam0 25.0 fps\nsecond line"));

        Assert.Equal("READY=1\nSTATUS=cam0 25.0 fps second line", await socket.ReceiveAsync(Timeout));
    }

    [Fact]
    public async Task Stopping_RealDatagramSocket_ReceivesStopping()
    {
        using var socket = new NotifySocket();
        using var notifier = new SystemdNotifier(socket.Address, null, NullLogger<SystemdNotifier>.Instance);

        Assert.True(notifier.Stopping());

        Assert.Equal("STOPPING=1", await socket.ReceiveAsync(Timeout));
    }

    [Fact]
    public void Notify_NoNotifySocket_IsNoOp()
    {
        using var notifier = SystemdNotifier.FromEnvironment(_ => null, NullLogger<SystemdNotifier>.Instance);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Ready("x"));
        Assert.False(notifier.Watchdog());
        Assert.Null(notifier.WatchdogInterval);
    }

    [Fact]
    public void Notify_SocketGone_ReturnsFalseWithoutThrowing()
    {
        string address;
        using (var socket = new NotifySocket())
        {
            address = socket.Address;
        }

        using var notifier = new SystemdNotifier(address, null, NullLogger<SystemdNotifier>.Instance);

        Assert.False(notifier.Status("nobody listens"));
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "SELF", 30.0)]
    [InlineData("30000000", "1", null)]
    [InlineData("abc", null, null)]
    [InlineData(null, null, null)]
    public void FromEnvironment_WatchdogVariables_GiveInterval(string? usec, string? pid, double? expectedSeconds)
    {
        var ownPid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = "@unused",
            ["WATCHDOG_USEC"] = usec,
            ["WATCHDOG_PID"] = pid == "SELF" ? ownPid : pid,
        };

        using var notifier = SystemdNotifier.FromEnvironment(k => environment.GetValueOrDefault(k), NullLogger<SystemdNotifier>.Instance);

        Assert.Equal(expectedSeconds, notifier.WatchdogInterval?.TotalSeconds);
    }

    [Fact]
    public async Task WatchdogFeeder_PipelineStalls_StopsFeedingAndResumesWhenFramesMove()
    {
        using var socket = new NotifySocket();
        using var notifier = new SystemdNotifier(socket.Address, TimeSpan.FromSeconds(10), NullLogger<SystemdNotifier>.Instance);
        var heartbeat = new FrameHeartbeat();
        var feeder = new WatchdogFeeder(notifier, heartbeat, new Service.Health.ServiceHealth(TimeProvider.System));

        // First tick after start-up feeds.
        Assert.True(feeder.Tick());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync(Timeout));

        // Frames moved: fed.
        heartbeat.Beat();
        Assert.True(feeder.Tick());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync(Timeout));

        // Stalled: no datagram. The next thing on the socket is the marker sent after the tick.
        Assert.False(feeder.Tick());
        Assert.False(feeder.Tick());
        notifier.Status("marker");
        Assert.Equal("STATUS=marker", await socket.ReceiveAsync(Timeout));

        // Moving again: fed again.
        heartbeat.Beat();
        heartbeat.Beat();
        Assert.True(feeder.Tick());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync(Timeout));
        Assert.Equal(3, feeder.LastFrames);
    }
}
