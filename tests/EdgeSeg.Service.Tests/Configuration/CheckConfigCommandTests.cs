using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Configuration;

public sealed class CheckConfigCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task CheckConfig_ValidFile_ExitsZeroAndSummarises()
    {
        var file = _fixture.Dir.Write("site.json", ConfigFixture.ValidJson);

        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_fixture.Dir.Path, Timeout, "check-config", "--config", file);

        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("configuration is valid", stdout, StringComparison.Ordinal);
        Assert.Contains("source cam0 (file clips/a.mp4", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_BrokenRulesFromFileAndCommandLine_ExitsTwoListingAll()
    {
        var file = _fixture.Dir.Write("site.json", ConfigFixture.ValidJson);

        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_fixture.Dir.Path, Timeout,
            "check-config", "--config", file, "--Mqtt:Port=abc", "--Sources:0:Uri=nowhere.mp4", "--Model:Providers=npu");

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Equal("", stdout);
        Assert.Contains("The configuration has 3 errors:", stderr, StringComparison.Ordinal);
        Assert.Contains("Sources:0:Uri = 'nowhere.mp4': must be an existing video file", stderr, StringComparison.Ordinal);
        Assert.Contains("Model:Providers = 'npu': 'npu' is not an execution provider", stderr, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port = 'abc': must be a whole number from 1 to 65535", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidConfiguration_ExitsTwoBeforeOpeningAnything()
    {
        var file = _fixture.Dir.Write("site.json", ConfigFixture.ValidJson);

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_fixture.Dir.Path, Timeout,
            "run", "--config", file, "--exit-when-done", "--Sources:0:Uri=rtsp://127.0.0.1:1/none");

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains("Sources:0:Uri = 'rtsp://127.0.0.1:1/none': --exit-when-done needs every source to end by itself", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was started.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InProcess_WritesErrorsToErrorWriter()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = CheckConfigCommand.Check(Path.Combine(_fixture.Dir.Path, "absent.json"), [], exitWhenDone: false, output, error, out var settings);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Null(settings);
        Assert.Contains("--config = '", error.ToString(), StringComparison.Ordinal);
    }
}
