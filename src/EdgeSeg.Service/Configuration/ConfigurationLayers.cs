using Microsoft.Extensions.Configuration;

namespace EdgeSeg.Service.Configuration;

/// <summary>
/// Builds the layered configuration: <c>appsettings.json</c> beside the binary, then the site file
/// (<c>/etc/edgeseg/appsettings.json</c> when present, or the file given with <c>--config</c>), then environment
/// variables prefixed <c>EDGESEG_</c> (<c>__</c> separates levels), then command-line overrides
/// (<c>--Mqtt:Port=1884</c>). Later layers win.
/// </summary>
internal static class ConfigurationLayers
{
    /// <summary>The site configuration file read when present.</summary>
    public const string SiteFile = "/etc/edgeseg/appsettings.json";

    /// <summary>Prefix of environment variables that configure the service.</summary>
    public const string EnvironmentPrefix = "EDGESEG_";

    /// <summary>
    /// Builds the configuration. <paramref name="configFile"/> replaces the site file and must exist;
    /// <paramref name="overrides"/> are <c>--Key=value</c> or <c>--Key value</c> tokens.
    /// </summary>
    /// <exception cref="InvalidConfigurationException">A file is missing or is not valid JSON, or an override is malformed.</exception>
    public static IConfigurationRoot Build(string? configFile, IReadOnlyList<string> overrides, string? baseDirectory = null, string? siteFile = SiteFile)
    {
        var builder = new ConfigurationBuilder();
        var baseFile = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, "appsettings.json");
        AddJson(builder, baseFile, optional: true, "Default file");

        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new InvalidConfigurationException([new ConfigError("--config", configFile, $"must be an existing JSON file; {full} does not exist")]);
            }

            AddJson(builder, full, optional: false, "--config");
        }
        else if (siteFile is not null && File.Exists(siteFile))
        {
            AddJson(builder, siteFile, optional: false, "Site file");
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(CheckOverrides(overrides).ToArray());

        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            var file = builder.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>()
                .Select(s => s.Path).LastOrDefault(p => e.Message.Contains(Path.GetFileName(p ?? "?"), StringComparison.Ordinal));
            throw new InvalidConfigurationException([new ConfigError(file ?? "configuration file", null, $"must be valid JSON: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}")]);
        }
    }

    /// <summary>The JSON files that exist and are read, in layer order (for the start-up log).</summary>
    public static IEnumerable<string> Files(IConfigurationRoot root) =>
        root.Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>()
            .Select(p => p.Source.FileProvider?.GetFileInfo(p.Source.Path ?? "").PhysicalPath ?? p.Source.Path ?? "")
            .Where(File.Exists);

    private static void AddJson(ConfigurationBuilder builder, string path, bool optional, string what)
    {
        if (!optional && Directory.Exists(path))
        {
            throw new InvalidConfigurationException([new ConfigError(what, path, "must be a JSON file, not a directory")]);
        }

        builder.AddJsonFile(new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(Path.GetFullPath(path))!),
            Path.GetFileName(path), optional, reloadOnChange: false);
    }

    private static IEnumerable<string> CheckOverrides(IReadOnlyList<string> overrides)
    {
        var errors = new List<ConfigError>();
        for (var i = 0; i < overrides.Count; i++)
        {
            var token = overrides[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length < 3)
            {
                errors.Add(new ConfigError(token, null, "is not an option; configuration overrides look like --Section:Key=value"));
                continue;
            }

            if (!token.Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 >= overrides.Count || overrides[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    errors.Add(new ConfigError(token[2..], null, "has no value; write --Section:Key=value"));
                    continue;
                }

                yield return token;
                yield return overrides[++i];
                continue;
            }

            yield return token;
        }

        if (errors.Count > 0)
        {
            throw new InvalidConfigurationException(errors);
        }
    }
}
