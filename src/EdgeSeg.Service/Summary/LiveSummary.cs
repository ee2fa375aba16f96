using System.Globalization;
using EdgeSeg.Core.Classes;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EdgeSeg.Service.Summary;

/// <summary>
/// The live console summary of <c>edgeseg run --summary</c> (what <c>make run</c> shows): per source the state, fps,
/// latency, class coverage and events, and where to look (the live page, the mosquitto_sub line, the snapshot and metrics URLs).
/// Redraws in place on a terminal; prints a plain block every few seconds when the output is redirected.
/// </summary>
internal sealed class LiveSummary(
    EdgeSegSettings settings,
    ServiceHealth health,
    ServiceMetrics metrics,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : BackgroundService
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var redirected = Console.IsOutputRedirected;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(redirected ? 5 : 1), time);
        try
        {
            if (redirected)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out) });
                do
                {
                    console.Write(Render());
                }
                while (await timer.WaitForNextTickAsync(stoppingToken));
                return;
            }

            await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async context =>
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    context.UpdateTarget(Render());
                }
            });
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last frame drawn stays on the screen.
        }
    }

    /// <summary>Renders the summary as it stands now.</summary>
    internal IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("source");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("fps").RightAligned());
        table.AddColumn(new TableColumn("frames").RightAligned());
        table.AddColumn(new TableColumn("dropped").RightAligned());
        table.AddColumn(new TableColumn("p50/p95 ms").RightAligned());
        foreach (var cls in ApplianceClasses.All.Skip(1))
        {
            table.AddColumn(new TableColumn(Markup.Escape(cls.Name.Replace("_marking", "", StringComparison.Ordinal)) + " %").RightAligned());
        }

        table.AddColumn(new TableColumn("events").RightAligned());

        foreach (var source in settings.Sources)
        {
            var status = health.Sources.TryGetValue(source.Id, out var s) ? s : null;
            var latency = metrics.StageLatency.WithLabels(source.Id, "total");
            var cells = new List<string>
            {
                Markup.Escape(source.Id),
                status is null ? "-" : Markup.Escape(status.State.ToString().ToLowerInvariant()),
                F(health.Fps(source.Id), "0.0"),
                metrics.FramesPublished.WithLabels(source.Id).Value.ToString(CultureInfo.InvariantCulture),
                metrics.SourceDropped.WithLabels(source.Id).Value.ToString(CultureInfo.InvariantCulture),
                latency.Count == 0 ? "-" : $"{F(latency.Quantile(0.5) * 1000, "0")}/{F(latency.Quantile(0.95) * 1000, "0")}",
            };
            foreach (var cls in ApplianceClasses.All.Skip(1))
            {
                cells.Add(F(metrics.ClassCoverage.WithLabels(source.Id, cls.Name).Value * 100, "0.0"));
            }

            cells.Add(metrics.Events.Children.Where(e => e.Labels[0] == source.Id).Sum(e => e.Child.Value).ToString(CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }

        var http = HttpBase();
        var topics = $"{settings.Mqtt.TopicPrefix}/{settings.Device.Id}/#";
        var uptime = time.GetUtcNow() - _started;
        var header = new Markup(Markup.Escape(
            $"edgeseg  device {settings.Device.Id}  |  model {health.ModelName ?? "loading"} on {health.Provider ?? "-"}  |  mqtt {settings.Mqtt.Host}:{settings.Mqtt.Port} "
            + $"{(health.BrokerConnected ? "connected" : "disconnected")}  |  up {uptime:hh\\:mm\\:ss}"));
        var where = new Rows(
            new Markup("[bold]where to look[/]"),
            new Text($"  live page: {http}/"),
            new Text($"  messages:  mosquitto_sub -h {settings.Mqtt.Host} -p {settings.Mqtt.Port} -t '{topics}' -v"),
            new Text(settings.Sources.Count > 0 ? $"  snapshot:  {http}/snapshot/{settings.Sources[0].Id}.jpg" : "  snapshot:  (no sources)"),
            new Text($"  health:    {http}/readyz    metrics: {http}/metrics"),
            new Text("  stop:      Ctrl-C"));
        return new Rows(header, table, where);
    }

    private string HttpBase()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? settings.Http.Urls[0];
        return first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
    }

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
