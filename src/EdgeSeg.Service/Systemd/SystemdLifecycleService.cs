using EdgeSeg.Service.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Systemd;

/// <summary>
/// Tells systemd about the service's life: <c>READY=1</c> once every hosted service has started (model loaded,
/// sources open), <c>STATUS=</c> with per-source fps at each tick, <c>WATCHDOG=1</c> while frames move, and
/// <c>STOPPING=1</c> when shutdown begins. Does nothing without <c>NOTIFY_SOCKET</c>.
/// </summary>
internal sealed partial class SystemdLifecycleService(
    SystemdNotifier notifier,
    WatchdogFeeder feeder,
    ServiceHealth health,
    IHostApplicationLifetime lifetime,
    ILogger<SystemdLifecycleService> logger) : BackgroundService
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
        {
            lifetime.ApplicationStarted.Register(() => notifier.Ready(health.Describe()));
            lifetime.ApplicationStopping.Register(() => notifier.Stopping());
            LogEnabled(logger, notifier.SocketPath, notifier.WatchdogInterval?.TotalSeconds);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        // Wait until start-up is complete: the watchdog is armed by READY=1.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        // systemd recommends feeding at half the watchdog interval.
        var period = notifier.WatchdogInterval is { } watchdog ? watchdog / 2 : StatusInterval;
        using var timer = new PeriodicTimer(period < StatusInterval ? period : StatusInterval);
        var sinceFeed = TimeSpan.Zero;
        var lastStall = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            notifier.Status(health.Describe());
            if (notifier.WatchdogInterval is null)
            {
                continue;
            }

            sinceFeed += timer.Period;
            if (sinceFeed < period)
            {
                continue;
            }

            sinceFeed = TimeSpan.Zero;
            var fed = feeder.Tick();
            if (fed == lastStall)
            {
                // Log changes only: once when the pipeline stalls, once when it moves again.
                if (fed)
                {
                    LogMoving(logger);
                }
                else if (health.Problems.Count > 0)
                {
                    LogNotDoingItsJob(logger, string.Join("; ", health.Problems));
                }
                else
                {
                    LogStalled(logger, period.TotalSeconds, feeder.LastFrames);
                }
            }

            lastStall = !fed;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd notifications to {Socket}; watchdog every {WatchdogSeconds} s")]
    private static partial void LogEnabled(ILogger logger, string? socket, double? watchdogSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No frame completed the pipeline in the last {Seconds:0.#} s (at {Frames} frames): the systemd watchdog is not fed")]
    private static partial void LogStalled(ILogger logger, double seconds, long frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service is not doing its job end to end ({Problems}): the systemd watchdog is not fed")]
    private static partial void LogNotDoingItsJob(ILogger logger, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Frames move again: the systemd watchdog is fed")]
    private static partial void LogMoving(ILogger logger);
}
