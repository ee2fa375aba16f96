using System.CommandLine;
using System.Net.Sockets;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSeg.Service.Cli;

/// <summary><c>edgeseg run [--config FILE] [--exit-when-done] [--summary] [--Key=value ...]</c>: the service.</summary>
internal static class RunCommand
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

        await using var app = ServiceHost.Build(settings, configuration, mode, addServices: services =>
        {
            ApplianceRegistration.AddAppliance(services, mode);
            addServices?.Invoke(services);
        });
        try
        {
            await app.StartAsync();
            started?.Invoke(app);
            await app.WaitForShutdownAsync();
        }
        catch (StartupFailedException e)
        {
            await error.WriteLineAsync($"edgeseg could not start: {e.Message}");
            return e.ExitCode;
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<StartupFailedException>().FirstOrDefault() is { } first)
        {
            // Services start concurrently: several may fail together; the first one's code is the exit code.
            foreach (var failure in e.InnerExceptions)
            {
                await error.WriteLineAsync($"edgeseg could not start: {failure.Message}");
            }

            return first.ExitCode;
        }
        catch (IOException e) when (e.InnerException is SocketException or null && e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync($"edgeseg could not listen on Http:Urls = '{string.Join(";", settings.Http.Urls)}': {e.Message}");
            return ExitCodes.InvalidConfiguration;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"edgeseg failed: {e}");
            return ExitCodes.Failure;
        }

        var exit = app.Services.GetRequiredService<ServiceExit>();
        if (exit.Reason is not null && exit.Code != ExitCodes.Ok)
        {
            await error.WriteLineAsync($"edgeseg stopped: {exit.Reason}");
        }

        return exit.Code;
    }
}
