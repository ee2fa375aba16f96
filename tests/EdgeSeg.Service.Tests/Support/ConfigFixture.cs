using EdgeSeg.Service.Configuration;
using Microsoft.Extensions.Configuration;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// A working directory with a real model file and clip file, and helpers that build and load the layered
/// configuration from a JSON file there plus command-line overrides (no default appsettings, no site file).
/// </summary>
internal sealed class ConfigFixture : IDisposable
{
    public ConfigFixture()
    {
        ModelPath = Dir.Write("models/m.onnx", "not parsed by configuration validation");
        ClipPath = Dir.Write("clips/a.mp4", "not parsed by configuration validation");
        Directory.CreateDirectory(System.IO.Path.Combine(Dir.Path, "frames"));
    }

    public TempDirectory Dir { get; } = new();

    public string ModelPath { get; }

    public string ClipPath { get; }

    /// <summary>A valid configuration as JSON, with placeholders substituted.</summary>
    public static string ValidJson => $$"""
        {
          "Device": { "Id": "box-1" },
          "Sources": [ { "Id": "cam0", "Uri": "clips/a.mp4" } ],
          "Model": { "Path": "models/m.onnx" },
          "Mqtt": { "Host": "127.0.0.1", "Port": 1883 },
          "Http": { "Urls": "http://127.0.0.1:0" }
        }
        """;

    public IConfigurationRoot Build(string json, params string[] overrides)
    {
        var file = Dir.Write($"config-{Guid.NewGuid():N}.json", json);
        return ConfigurationLayers.Build(file, overrides, baseDirectory: Dir.Path, siteFile: null);
    }

    public EdgeSegSettings Load(string json, params string[] overrides) => Load(json, exitWhenDone: false, null, overrides);

    public EdgeSegSettings Load(string json, bool exitWhenDone, Func<string, string?>? environment, params string[] overrides) =>
        EdgeSegSettings.Load(Build(json, overrides), Context(exitWhenDone, environment));

    public SettingsContext Context(bool exitWhenDone = false, Func<string, string?>? environment = null) => new()
    {
        WorkingDirectory = Dir.Path,
        ExitWhenDone = exitWhenDone,
        GetEnvironment = environment ?? (_ => null),
    };

    public void Dispose() => Dir.Dispose();
}
