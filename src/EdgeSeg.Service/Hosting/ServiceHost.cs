using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.LivePage;
using EdgeSeg.Service.Metrics;
using EdgeSeg.Service.Systemd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// Assembles the service on the .NET generic host (the ASP.NET Core web application builder, for Kestrel): the
/// validated settings, logging (journal-friendly under systemd), the HTTP endpoints, the metrics registry, systemd
/// notifications and the appliance's hosted services.
/// </summary>
internal static class ServiceHost
{
    /// <summary>
    /// Builds the host; nothing is opened until it starts. <paramref name="addServices"/> registers the appliance's
    /// hosted services (the frame path), after the shared singletons.
    /// </summary>
    public static WebApplication Build(EdgeSegSettings settings, IConfiguration configuration, RunMode mode, Func<string, string?>? getEnvironment = null,
        Action<IServiceCollection>? addServices = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        var environment = getEnvironment ?? Environment.GetEnvironmentVariable;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "edgeseg",
            ContentRootPath = Environment.CurrentDirectory,
            EnvironmentName = Environments.Production,
        });

        // Only our layers: the framework's defaults (ASPNETCORE_*, DOTNET_*, its own appsettings) are not read.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls([.. settings.Http.Urls]);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(settings.Pipeline.DrainTimeoutSeconds + 5));

        ConfigureLogging(builder.Logging, configuration, mode, environment);

        builder.Services.Configure<HostOptions>(o =>
        {
            // HTTP comes up while the model loads (health answers during a long TensorRT engine build); READY=1 still
            // waits for every service's StartAsync.
            o.ServicesStartConcurrently = true;
            o.ServicesStopConcurrently = false;
            o.ShutdownTimeout = TimeSpan.FromSeconds(settings.Pipeline.DrainTimeoutSeconds + 5);
        });

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(mode);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceExit>();
        services.AddSingleton<MetricsRegistry>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<ServiceHealth>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<LiveState>();
        services.AddSingleton<LiveDocument>();
        services.AddSingleton(new LiveStreamOptions());
        services.AddSingleton<FrameHeartbeat>();
        // Judged over half the MQTT keep-alive, so a fault shows within one keep-alive period.
        services.AddSingleton(sp => new EndToEndMonitor(sp.GetRequiredService<ServiceHealth>(),
            TimeSpan.FromSeconds(Math.Max(2, settings.Mqtt.KeepAliveSeconds / 2.0))));
        services.AddSingleton(sp => SystemdNotifier.FromEnvironment(environment, sp.GetRequiredService<ILogger<SystemdNotifier>>()));
        services.AddSingleton<WatchdogFeeder>();
        services.AddHostedService<SystemdLifecycleService>();
        addServices?.Invoke(services);

        var app = builder.Build();
        HttpEndpoints.Map(app);
        LivePageEndpoints.Map(app);

        // The metrics exist from the start, so /metrics lists them before the first frame.
        _ = app.Services.GetRequiredService<ServiceMetrics>();
        var health = app.Services.GetRequiredService<ServiceHealth>();
        var snapshots = app.Services.GetRequiredService<SnapshotStore>();
        foreach (var source in settings.Sources)
        {
            health.SetSource(source.Id, SourceState.Starting);
            snapshots.Register(source.Id);
        }

        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration, RunMode mode, Func<string, string?> environment)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        // A failed start is reported once, by `edgeseg run`, as one line naming the key and the cause; the host's own
        // "Hosting failed to start" entry would repeat it with a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        if (!string.IsNullOrEmpty(environment("JOURNAL_STREAM")))
        {
            // Under systemd: one line per entry with a <N> syslog priority prefix the journal understands.
            logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
            return;
        }

        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.ColorBehavior = mode.Summary ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        });
        if (mode.Summary)
        {
            // The live summary owns the console; only warnings and errors interrupt it.
            logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        }
    }
}
