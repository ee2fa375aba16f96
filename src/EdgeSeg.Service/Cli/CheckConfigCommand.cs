using System.CommandLine;
using EdgeSeg.Service.Configuration;

namespace EdgeSeg.Service.Cli;

/// <summary><c>edgeseg check-config [--config FILE] [--Key=value ...]</c>: validate the configuration and open nothing.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var configOption = new Option<string?>("--config")
        {
            Description = $"A configuration file read in place of {ConfigurationLayers.SiteFile} (over the default appsettings.json).",
        };
        var exitWhenDone = new Option<bool>("--exit-when-done")
        {
            Description = "Check as 'run --exit-when-done' would: every source must end by itself.",
        };
        var command = new Command("check-config", "Validate the configuration (files, environment, --Key=value overrides) and report every error at once; opens nothing.")
        {
            configOption,
            exitWhenDone,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            var result = Check(parseResult.GetValue(configOption), parseResult.UnmatchedTokens, parseResult.GetValue(exitWhenDone), Console.Out, Console.Error, out _);
            return result;
        });
        return command;
    }

    /// <summary>
    /// Builds and validates the configuration; writes the errors (each with key, value and rule) to
    /// <paramref name="error"/>, or a summary to <paramref name="output"/>. Returns the exit code.
    /// </summary>
    public static int Check(string? configFile, IReadOnlyList<string> overrides, bool exitWhenDone, TextWriter output, TextWriter error,
        out EdgeSegSettings? settings)
    {
        settings = null;
        try
        {
            var configuration = ConfigurationLayers.Build(configFile, overrides);
            settings = EdgeSegSettings.Load(configuration, new SettingsContext { ExitWhenDone = exitWhenDone });
            output.WriteLine($"configuration is valid (read {string.Join(", ", ConfigurationLayers.Files(configuration).DefaultIfEmpty("no file"))}, environment EDGESEG_*, {overrides.Count} command-line token(s))");
            output.WriteLine($"  device {settings.Device.Id}; model {settings.Model.Path} on [{string.Join(", ", settings.Model.Providers)}]");
            foreach (var source in settings.Sources)
            {
                output.WriteLine($"  source {source}");
            }

            output.WriteLine($"  mqtt {(settings.Mqtt.TlsEnabled ? "mqtts" : "mqtt")}://{settings.Mqtt.Host}:{settings.Mqtt.Port} topics {settings.Mqtt.TopicPrefix}/{settings.Device.Id}/...; http {string.Join(" ", settings.Http.Urls)}");
            return ExitCodes.Ok;
        }
        catch (InvalidConfigurationException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.InvalidConfiguration;
        }
    }
}
