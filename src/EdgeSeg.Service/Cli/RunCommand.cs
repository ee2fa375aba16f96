using System.CommandLine;
using System.Net.Sockets;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Cli;

/// <summary><c>edgeseg run [--config FILE] [--exit-when-done] [--summary] [--Key=value ...]</c>: the service.</summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var configOption = new Option<string?>("--config")
        {
            Description = $"A configuration file read in place of {ConfigurationLayers.SiteFile} (over the default appsettings.json).",
        };
        var exitWhenDone = new Option<bool>("--exit-when-done")
        {
            Description = "Every source must be a finite file or folder: exit 0 once the last frame's messages are acknowledged by the broker.",
        };
        var summary = new Option<bool>("--summary")
        {
            Description = "Show a live console summary (fps, latency, class coverage, events, where to look) instead of the log.",
        };
        var command = new Command("run", "Run the service: sources -> segmentation -> scene metrics -> MQTT, with health and metrics over HTTP. "
            + "Any --Section:Key=value overrides the configuration (e.g. --Mqtt:Port=1884 --Sources:0:Uri=clip.mp4).")
        {
            configOption,
            exitWhenDone,
            summary,
        };
        command.TreatUnmatchedTokensAsErrors = false;

        // A synchronous action on purpose: System.CommandLine gives asynchronous actions a 2 s grace period after
        // SIGINT/SIGTERM and then ends the process; the host handles those signals itself and drains the pipeline.
        command.SetAction(parseResult => RunAsync(parseResult.GetValue(configOption), parseResult.UnmatchedTokens,
            new RunMode(parseResult.GetValue(exitWhenDone), parseResult.GetValue(summary)), Console.Error).GetAwaiter().GetResult());
        return command;
    }

    /// <summary>Validates the configuration, then runs the host until it stops; returns the exit code.</summary>
    public static async Task<int> RunAsync(string? configFile, IReadOnlyList<string> overrides, RunMode mode, TextWriter error,
        Action<IServiceCollection>? addServices = null, Action<WebApplication>? started = null)
    {
        ProcessSignals.Current?.ExpectHost();

        // Everything the service writes (the offline queue with its metrics and events, the TensorRT cache) is for its
        // own user only, as the unit's UMask=0077 gives it under systemd: files 0600, directories 0700.
        Native.LibC.SetUmask(0b000_111_111);
        IConfigurationRoot configuration;
        EdgeSegSettings settings;
        try
        {
            configuration = ConfigurationLayers.Build(configFile, overrides);
            settings = EdgeSegSettings.Load(configuration, new SettingsContext { ExitWhenDone = mode.ExitWhenDone });
        }
        catch (InvalidConfigurationException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync("Nothing was started. Check a configuration with: bin/edgeseg check-config [--config FILE]");
            return ExitCodes.InvalidConfiguration;
        }

        // From here a stop signal is the host's to handle (it drains); before, it ended the process at once.
        var signals = ProcessSignals.Current;
        signals?.AttachHost();

        await using var app = ServiceHost.Build(settings, configuration, mode, addServices: services =>
        {
            if (signals is not null)
            {
                services.AddSingleton<IHostLifetime, ProcessSignalsLifetime>();
            }

            ApplianceRegistration.AddAppliance(services, mode);
            addServices?.Invoke(services);
        });
        var stopping = signals?.StopRequested ?? CancellationToken.None;
        using var stopOnSignal = stopping.Register(() => OnStopSignal(app, signals!.StopSignal!));
        EventHandler reload = (_, _) => OnReloadSignal(app);
        if (signals is not null)
        {
            signals.ReloadRequested += reload;
        }

        try
        {
            await app.StartAsync(stopping);
            started?.Invoke(app);
            await app.WaitForShutdownAsync();
        }
        catch (Exception e) when (IsCancellation(e) && (stopping.IsCancellationRequested || app.Lifetime.ApplicationStopping.IsCancellationRequested))
        {
            // A stop (a signal) during start-up, a model load included: a clean stop, as after start-up.
            await error.WriteLineAsync($"edgeseg: stopped by {signals?.StopSignal ?? "request"} during start-up");
            if (signals is not null)
            {
                // The process's own signal: the abandoned load may still be inside ONNX Runtime on another thread, so
                // end here rather than let native destructors race it at a normal exit (see LibC.ExitNow).
                await error.FlushAsync();
                await Console.Out.FlushAsync();
                Native.LibC.ExitNow(ExitCodes.Ok);
            }

            return ExitCodes.Ok;
        }
        catch (Exception e) when (StartupFailures(e) is { Count: > 0 } failures)
        {
            // Services start concurrently: several may fail together; the first one's code is the exit code.
            foreach (var failure in failures)
            {
                await error.WriteLineAsync($"edgeseg could not start: {failure.Message}");
            }

            return failures[0].ExitCode;
        }
        catch (IOException e) when (e.InnerException is SocketException or null && e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync($"edgeseg could not listen on Http:Urls = '{string.Join(";", settings.Http.Urls)}': {e.Message}");
            return ExitCodes.InvalidConfiguration;
        }
        catch (Exception e) when (!IsCancellation(e))
        {
            // Anything else that fails the start: one line with the cause, and out at once (never a process that
            // answers /healthz while it can do nothing).
            await error.WriteLineAsync($"edgeseg could not start: {Innermost(e).GetType().Name}: {Innermost(e).Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (signals is not null)
            {
                signals.ReloadRequested -= reload;
            }
        }

        var exit = app.Services.GetRequiredService<ServiceExit>();
        if (exit.Reason is not null && exit.Code != ExitCodes.Ok)
        {
            await error.WriteLineAsync($"edgeseg stopped: {exit.Reason}");
        }

        return exit.Code;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsCancellation));

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions.Count: > 0 } a ? Innermost(a.InnerExceptions[0]) : e;

    /// <summary>The start-up failures in <paramref name="e"/> (one, or several from services that started together).</summary>
    private static List<StartupFailedException> StartupFailures(Exception e) => e switch
    {
        StartupFailedException s => [s],
        AggregateException a => [.. a.InnerExceptions.SelectMany(StartupFailures).Distinct()],
        _ => [],
    };

    private static void OnStopSignal(WebApplication app, string signal)
    {
        LogStopSignal(app.Logger, signal);
        app.Lifetime.StopApplication();
    }

    private static void OnReloadSignal(WebApplication app)
    {
        if (app.Services.GetService<Appliance.ApplianceService>() is not { } appliance)
        {
            return;
        }

        // Off the signal-handling thread: a model load takes seconds (minutes for a TensorRT engine).
        _ = Task.Run(() => appliance.ReloadOnSignalAsync(app.Lifetime.ApplicationStopping));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal} received: stopping (the frames in flight drain first)")]
    private static partial void LogStopSignal(ILogger logger, string signal);
}
