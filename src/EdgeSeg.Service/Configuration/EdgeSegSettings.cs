using EdgeSeg.Scene.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace EdgeSeg.Service.Configuration;

/// <summary>
/// The whole validated configuration of the service. Built once at start-up by <see cref="Load"/>, which checks every
/// rule and reports every broken one at once; immutable afterwards and shared by every component.
/// </summary>
internal sealed class EdgeSegSettings
{
    /// <summary>Top-level sections and keys the service reads. <c>Scene</c> and <c>Logging</c> are checked by their owners.</summary>
    public static readonly string[] Sections = ["Device", "Sources", "Model", "Pipeline", "Scene", "Mqtt", "Http", "Report", "Logging", "StateDirectory"];

    /// <summary>The <c>Device</c> section.</summary>
    public required DeviceSettings Device { get; init; }

    /// <summary>The <c>Sources</c> list, in index order.</summary>
    public required IReadOnlyList<SourceSettings> Sources { get; init; }

    /// <summary>The <c>Model</c> section.</summary>
    public required ModelSettings Model { get; init; }

    /// <summary>The <c>Pipeline</c> section.</summary>
    public required PipelineSettings Pipeline { get; init; }

    /// <summary>The <c>Scene</c> section: zones, corridor, calibration and event thresholds (EdgeSeg.Scene's own options).</summary>
    public required SceneOptions Scene { get; init; }

    /// <summary>The <c>Mqtt</c> section.</summary>
    public required MqttSettings Mqtt { get; init; }

    /// <summary>The <c>Http</c> section.</summary>
    public required HttpSettings Http { get; init; }

    /// <summary>The <c>Report</c> section: thresholds and score weights of <c>edgeseg process</c>'s trip reports.</summary>
    public required ReportSettings Report { get; init; }

    /// <summary><c>StateDirectory</c>: persistent state (offline queue, TensorRT cache); systemd's STATE_DIRECTORY by default.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Whether every source ends by itself.</summary>
    public bool AllSourcesFinite => Sources.All(s => s.IsFinite);

    /// <summary>
    /// Reads and validates everything. Throws <see cref="InvalidConfigurationException"/> listing every broken rule, each
    /// with its key, value and rule; opens nothing (files are only checked for existence).
    /// </summary>
    public static EdgeSegSettings Load(IConfiguration configuration, SettingsContext context)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(context);
        var reader = new ConfigReader(configuration);
        CheckTopLevel(reader, configuration);

        var stateDefault = context.GetEnvironment("STATE_DIRECTORY") is { Length: > 0 } fromSystemd
            ? fromSystemd.Split(':')[0]
            : Path.Combine("runs", "state");
        var stateDirectory = PathRules.Directory(reader, context, "StateDirectory", stateDefault);

        var device = DeviceSettings.Read(reader);
        var sources = ReadSources(reader, context);
        var settings = new EdgeSegSettings
        {
            Device = device,
            Sources = sources,
            Model = ModelSettings.Read(reader, context, stateDirectory),
            Pipeline = PipelineSettings.Read(reader),
            Scene = ReadScene(reader, configuration),
            Mqtt = MqttSettings.Read(reader, context, device.Id, stateDirectory),
            Http = HttpSettings.Read(reader),
            Report = ReportSettings.Read(reader),
            StateDirectory = stateDirectory,
        };

        if (reader.Errors.Count > 0)
        {
            throw new InvalidConfigurationException(reader.Errors);
        }

        return settings;
    }

    /// <summary>Binds and validates the <c>Scene</c> section; its errors go to <paramref name="reader"/>.</summary>
    internal static SceneOptions ReadScene(ConfigReader reader, IConfiguration configuration)
    {
        // Bound by the framework binder onto EdgeSeg.Scene's options, then checked by their own validation, whose
        // errors already name key, value and rule.
        var section = configuration.GetSection(SceneOptions.SectionName);
        SceneOptions options;
        try
        {
            options = section.Get<SceneOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new SceneOptions();
        }
        catch (InvalidOperationException e)
        {
            reader.Fail(SceneOptions.SectionName, null, $"cannot be read: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}");
            return new SceneOptions();
        }

        foreach (var error in options.Validate(SceneOptions.SectionName))
        {
            reader.Add(ConfigError.Preformatted(SceneOptions.SectionName, error));
        }

        return options;
    }

    private static List<SourceSettings> ReadSources(ConfigReader reader, SettingsContext context)
    {
        var sources = new List<SourceSettings>();
        var indices = reader.Indexed("Sources");
        if (indices.Count == 0)
        {
            reader.Fail("Sources", reader.Raw("Sources"), "at least one source is required (Sources:0:Id and Sources:0:Uri)");
        }

        for (var i = 0; i < indices.Count; i++)
        {
            if (indices[i] != i)
            {
                reader.Fail($"Sources:{indices[i]}", null, $"sources are numbered from 0 without gaps; Sources:{i} is missing");
                break;
            }

            var source = SourceSettings.Read(reader, context, i);
            if (source.Id.Length > 0 && sources.Any(s => string.Equals(s.Id, source.Id, StringComparison.OrdinalIgnoreCase)))
            {
                reader.Fail($"Sources:{i}:Id", source.Id, "must be unique among the sources");
            }

            sources.Add(source);
        }

        return sources;
    }

    /// <summary>Reports every top-level key (from files and the command line) that is not one of <see cref="Sections"/>.</summary>
    internal static void CheckTopLevel(ConfigReader reader, IConfiguration configuration)
    {
        // Keys from environment variables are not judged here: EDGESEG_* variables may exist for other tools.
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        foreach (var provider in root.Providers)
        {
            if (provider is EnvironmentVariablesConfigurationProvider)
            {
                continue;
            }

            foreach (var key in provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!Sections.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    reader.Fail(key, configuration[key], $"is not a setting; the sections are {string.Join(", ", Sections)}");
                }
            }
        }
    }
}
