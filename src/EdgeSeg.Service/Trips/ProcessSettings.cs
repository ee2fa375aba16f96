using EdgeSeg.Scene.Configuration;
using EdgeSeg.Service.Configuration;
using Microsoft.Extensions.Configuration;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// What <c>edgeseg process</c> reads from the service's configuration: the model, the pipeline, the scene (zones,
/// corridor, calibration, event thresholds) and the report. Read by the service's own section readers, so a file
/// processed here is analysed exactly as the service would analyse it. <c>Sources</c>, <c>Mqtt</c> and <c>Http</c>
/// are the service's and not read (a site's broker settings do not stop a batch of files).
/// </summary>
internal sealed class ProcessSettings
{
    /// <summary>The <c>Model</c> section.</summary>
    public required ModelSettings Model { get; init; }

    /// <summary>The <c>Pipeline</c> section.</summary>
    public required PipelineSettings Pipeline { get; init; }

    /// <summary>The <c>Scene</c> section.</summary>
    public required SceneOptions Scene { get; init; }

    /// <summary>The <c>Report</c> section.</summary>
    public required ReportSettings Report { get; init; }

    /// <summary>Reads and validates; throws <see cref="InvalidConfigurationException"/> listing every broken rule.</summary>
    public static ProcessSettings Load(IConfiguration configuration, SettingsContext context)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(context);
        var reader = new ConfigReader(configuration);
        EdgeSegSettings.CheckTopLevel(reader, configuration);
        var stateDefault = context.GetEnvironment("STATE_DIRECTORY") is { Length: > 0 } fromSystemd
            ? fromSystemd.Split(':')[0]
            : Path.Combine("runs", "state");
        var stateDirectory = PathRules.Directory(reader, context, "StateDirectory", stateDefault);
        var settings = new ProcessSettings
        {
            Model = ModelSettings.Read(reader, context, stateDirectory),
            Pipeline = PipelineSettings.Read(reader),
            Scene = EdgeSegSettings.ReadScene(reader, configuration),
            Report = ReportSettings.Read(reader),
        };
        if (reader.Errors.Count > 0)
        {
            throw new InvalidConfigurationException(reader.Errors);
        }

        return settings;
    }
}
