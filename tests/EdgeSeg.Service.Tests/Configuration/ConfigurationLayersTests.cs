using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Configuration;

[Collection(EnvironmentTests.Name)]
public sealed class ConfigurationLayersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_Layers_DefaultThenSiteThenEnvironmentThenCommandLine()
    {
        _dir.Write("bin/appsettings.json", """{ "Mqtt": { "Host": "default-host", "Port": 1, "TopicPrefix": "from/default" }, "Device": { "Id": "from-default" } }""");
        var site = _dir.Write("etc/appsettings.json", """{ "Mqtt": { "Port": 2, "TopicPrefix": "from/site" } }""");
        Environment.SetEnvironmentVariable("EDGESEG_Mqtt__TopicPrefix", "from/env");
        Environment.SetEnvironmentVariable("EDGESEG_Device__Id", "from-env");
        try
        {
            var root = ConfigurationLayers.Build(null, ["--Device:Id=from-cli"], baseDirectory: Path.Combine(_dir.Path, "bin"), siteFile: site);

            Assert.Equal("default-host", root["Mqtt:Host"]);
            Assert.Equal("2", root["Mqtt:Port"]);
            Assert.Equal("from/env", root["Mqtt:TopicPrefix"]);
            Assert.Equal("from-cli", root["Device:Id"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGESEG_Mqtt__TopicPrefix", null);
            Environment.SetEnvironmentVariable("EDGESEG_Device__Id", null);
        }
    }

    [Fact]
    public void Build_ConfigFile_ReplacesSiteFile()
    {
        var site = _dir.Write("site.json", """{ "Mqtt": { "Port": 2 } }""");
        var given = _dir.Write("given.json", """{ "Mqtt": { "Host": "given" } }""");

        var root = ConfigurationLayers.Build(given, [], baseDirectory: _dir.Path, siteFile: site);

        Assert.Equal("given", root["Mqtt:Host"]);
        Assert.Null(root["Mqtt:Port"]);
    }

    [Fact]
    public void Build_MissingConfigFile_NamesIt()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ConfigurationLayers.Build("nope.json", [], baseDirectory: _dir.Path, siteFile: null));

        Assert.StartsWith("--config = 'nope.json': must be an existing JSON file", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidJson_NamesTheFile()
    {
        var bad = _dir.Write("bad.json", "{ \"Mqtt\": { \"Port\": 1, } ");

        var error = Assert.Throws<InvalidConfigurationException>(() => ConfigurationLayers.Build(bad, [], baseDirectory: _dir.Path, siteFile: null));

        Assert.Contains("must be valid JSON", Assert.Single(error.Errors), StringComparison.Ordinal);
        Assert.Contains("bad.json", error.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OverrideWithoutValue_Fails()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => ConfigurationLayers.Build(null, ["--Mqtt:Port"], baseDirectory: _dir.Path, siteFile: null));

        Assert.Equal(["Mqtt:Port (not set): has no value; write --Section:Key=value"], error.Errors);
    }

    [Fact]
    public void Load_EnvironmentVariablesForOtherTools_AreNotJudged()
    {
        Environment.SetEnvironmentVariable("EDGESEG_SOMETHING_ELSE", "1");
        try
        {
            var model = _dir.Write("m.onnx", "x");
            var clip = _dir.Write("c.mp4", "x");
            var root = ConfigurationLayers.Build(null, ["--Device:Id=d", "--Sources:0:Id=a", $"--Sources:0:Uri={clip}", $"--Model:Path={model}", "--Mqtt:Host=localhost"],
                baseDirectory: _dir.Path, siteFile: null);

            var settings = EdgeSegSettings.Load(root, new SettingsContext { WorkingDirectory = _dir.Path });

            Assert.Equal("d", settings.Device.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGESEG_SOMETHING_ELSE", null);
        }
    }
}
