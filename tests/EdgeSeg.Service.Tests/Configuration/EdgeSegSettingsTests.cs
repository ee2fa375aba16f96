using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Configuration;

public sealed class EdgeSegSettingsTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Load_ValidMinimalConfiguration_AppliesDocumentedDefaults()
    {
        var settings = _fixture.Load(ConfigFixture.ValidJson);

        Assert.Equal("box-1", settings.Device.Id);
        var source = Assert.Single(settings.Sources);
        Assert.Equal("cam0", source.Id);
        Assert.Equal(SourceKind.File, source.Kind);
        Assert.Equal(_fixture.ClipPath, source.Location);
        Assert.False(source.Live);
        Assert.False(source.Loop);
        Assert.True(source.IsFinite);
        Assert.Equal(_fixture.ModelPath, settings.Model.Path);
        Assert.Equal(["tensorrt", "cuda", "cpu"], settings.Model.Providers);
        Assert.Equal(GraphOptimization.All, settings.Model.OptimizationLevel);
        Assert.Equal("edgeseg/v1", settings.Mqtt.TopicPrefix);
        Assert.Equal("edgeseg-box-1", settings.Mqtt.ClientId);
        Assert.Equal(MqttProtocol.V500, settings.Mqtt.ProtocolVersion);
        Assert.Equal(0, settings.Mqtt.Mask.Qos);
        Assert.Equal(1, settings.Mqtt.Metrics.Qos);
        Assert.Equal(1, settings.Mqtt.Events.Qos);
        Assert.False(settings.Mqtt.Overlay.Enabled);
        Assert.Equal(Path.Combine(_fixture.Dir.Path, "runs", "state"), settings.StateDirectory);
        Assert.Equal(Path.Combine(settings.StateDirectory, "mqtt-queue"), settings.Mqtt.OfflineQueueDirectory);
        Assert.Equal(Path.Combine(settings.StateDirectory, "tensorrt-cache"), settings.Model.TensorRtCacheDirectory);
    }

    [Fact]
    public void Load_HttpUrlsAbsent_DefaultsToLoopback8080()
    {
        var settings = _fixture.Load(ConfigFixture.ValidJson.Replace("\"Http\": { \"Urls\": \"http://127.0.0.1:0\" }", "\"Http\": {}", StringComparison.Ordinal));

        Assert.Equal(["http://127.0.0.1:8080"], settings.Http.Urls);
    }

    [Fact]
    public void Load_CommandLineOverrides_WinOverTheFile()
    {
        var settings = _fixture.Load(ConfigFixture.ValidJson, "--Mqtt:Port=1884", "--Sources:0:Id", "front", "--Mqtt:TopicPrefix=fleet/a");

        Assert.Equal(1884, settings.Mqtt.Port);
        Assert.Equal("front", settings.Sources[0].Id);
        Assert.Equal("fleet/a", settings.Mqtt.TopicPrefix);
    }

    [Fact]
    public void Load_ManyBrokenRules_ReportsEveryOneWithKeyValueAndRule()
    {
        var json = """
            {
              "Device": { "Id": "bad/id" },
              "Sources": [
                { "Id": "cam0", "Uri": "missing.mp4" },
                { "Id": "cam0", "Uri": "ftp://example.com/x" },
                { "Id": "cam2", "Uri": "rtsp://cam.local/stream", "Loop": true }
              ],
              "Model": { "Path": "models/none.onnx", "Providers": [ "cuda", "gpu" ], "IntraOpThreads": "many" },
              "Pipeline": { "StageQueue": 0 },
              "Mqtt": { "Host": "", "Port": 70000, "TopicPrefix": "edgeseg/#", "Prot": 1,
                        "Streams": { "Metrics": { "Qos": 0 } } },
              "Http": { "Urls": "ftp://127.0.0.1:80" },
              "Extra": 1
            }
            """;

        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(json));

        var expected = new[]
        {
            "Extra = '1': is not a setting",
            "Device:Id = 'bad/id': must be 1 to 64 characters",
            "Sources:0:Uri = 'missing.mp4': must be an existing video file",
            "Sources:1:Uri = 'ftp://example.com/x': unknown scheme 'ftp://'",
            "Sources:1:Id = 'cam0': must be unique among the sources",
            "Sources:2:Loop = 'True': only files and folders loop; this source is a stream",
            "Model:Path = 'models/none.onnx': must be an ONNX model, an existing file",
            "Model:Providers = 'cuda,gpu': 'gpu' is not an execution provider",
            "Model:IntraOpThreads = 'many': must be a whole number from 0 to 1024",
            "Pipeline:StageQueue = '0': must be from 1 to 1024",
            "Mqtt:Prot = '1': is not a setting",
            "Mqtt:Host (not set): is required",
            "Mqtt:TopicPrefix = 'edgeseg/#': must not contain the wildcards",
            "Mqtt:Port = '70000': must be from 1 to 65535",
            "Mqtt:Streams:Metrics:Qos = '0': must be from 1 to 1",
            "Http:Urls = 'ftp://127.0.0.1:80': each URL must be http://HOST:PORT",
        };
        Assert.Equal(expected.Length, error.Errors.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], error.Errors[i], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("rtsp://cam.local:8554/live", "Stream", true)]
    [InlineData("http://127.0.0.1:9000/feed.ts", "Stream", true)]
    [InlineData("/dev/video0", "Camera", true)]
    [InlineData("frames", "Folder", false)]
    [InlineData("frames/*.png", "Folder", false)]
    [InlineData("clips/a.mp4", "File", false)]
    public void Load_KindAuto_DecidedFromTheUri(string uri, string kind, bool live)
    {
        var settings = _fixture.Load(ConfigFixture.ValidJson, $"--Sources:0:Uri={uri}");

        Assert.Equal(Enum.Parse<SourceKind>(kind), settings.Sources[0].Kind);
        Assert.Equal(live, settings.Sources[0].Live);
    }

    [Fact]
    public void Load_KindContradictsUri_Fails()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, "--Sources:0:Uri=rtsp://x/y", "--Sources:0:Kind=camera"));

        Assert.Equal(["Sources:0:Uri = 'rtsp://x/y': is a stream URI but Kind says camera"], error.Errors);
    }

    [Fact]
    public void Load_ExitWhenDoneWithLiveOrLoopingSources_NamesEachSource()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, exitWhenDone: true, null,
            "--Sources:0:Loop=true", "--Sources:1:Id=cam1", "--Sources:1:Uri=rtsp://cam.local/s"));

        Assert.Equal(2, error.Errors.Count);
        Assert.StartsWith("Sources:0:Uri = 'clips/a.mp4': --exit-when-done needs every source to end by itself", error.Errors[0], StringComparison.Ordinal);
        Assert.Contains("not a looping file", error.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Sources:1:Uri = 'rtsp://cam.local/s': --exit-when-done", error.Errors[1], StringComparison.Ordinal);
        Assert.Contains("not a stream", error.Errors[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Sources:0:Fps=1e-300", "Sources:0:Fps = '1e-300': must be 0 (not set) or from 0.001 to 1000 frames per second")]
    [InlineData("--Mqtt:Streams:Mask:MaxRate=0.0005", "Mqtt:Streams:Mask:MaxRate = '0.0005': must be 0 (not set) or from 0.001 to 1000 frames per second")]
    [InlineData("--Mqtt:Streams:Metrics:MaxRate=1e-300", "Mqtt:Streams:Metrics:MaxRate = '1e-300': must be 0 (not set) or from 0.001 to 1000 frames per second")]
    [InlineData("--Mqtt:Streams:Overlay:MaxRate=1001", "Mqtt:Streams:Overlay:MaxRate = '1001': must be 0 (not set) or from 0.001 to 1000 frames per second")]
    public void Load_RateOutsideTheFrameRateRange_FailsNamingTheKeyAndTheRange(string argument, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, argument));

        Assert.Equal([expected], error.Errors);
    }

    [Theory]
    [InlineData("--Sources:0:Fps=0.001")]
    [InlineData("--Mqtt:Streams:Metrics:MaxRate=1000")]
    [InlineData("--Mqtt:Streams:Mask:MaxRate=0")]
    public void Load_RateAtTheEdgesOfTheRangeOrZero_IsAccepted(string argument) => _fixture.Load(ConfigFixture.ValidJson, argument);

    [Fact]
    public void Load_ExitWhenDoneWithFiniteFile_Succeeds()
    {
        var settings = _fixture.Load(ConfigFixture.ValidJson, exitWhenDone: true, null);

        Assert.True(settings.AllSourcesFinite);
    }

    [Fact]
    public void Load_QueuesThatCouldHoldMoreFramesThanTheMemoryBound_RefusedWithTheFigures()
    {
        // Each key is within its own range; together a file source could hold 1024 + 1 + 8 + 4 frames of 8 MP (26 GB).
        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, "--Pipeline:FileQueue=1024"));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("Pipeline:MaxFrameMemoryMegabytes = '2048': the frame buffers could take 24888 MB (1037 frames over 1 source(s) at Pipeline:MaxFramePixels = 8388608", message, StringComparison.Ordinal);

        // Accepted once the frames are smaller (1080p: 6152 MB) and the bound is raised to match.
        Assert.Equal(2_073_600, _fixture.Load(ConfigFixture.ValidJson, "--Pipeline:FileQueue=1024", "--Pipeline:MaxFramePixels=2073600",
            "--Pipeline:MaxFrameMemoryMegabytes=6200").Pipeline.MaxFramePixels);
    }

    [Fact]
    public void Load_NoSources_Fails()
    {
        var json = ConfigFixture.ValidJson.Replace("\"Sources\": [ { \"Id\": \"cam0\", \"Uri\": \"clips/a.mp4\" } ],", "", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(json));

        Assert.Equal(["Sources (not set): at least one source is required (Sources:0:Id and Sources:0:Uri)"], error.Errors);
    }

    [Fact]
    public void Load_CredentialPath_ResolvesInSystemdCredentialsDirectory()
    {
        var credentials = Path.Combine(_fixture.Dir.Path, "creds");
        _fixture.Dir.Write("creds/mqtt-password", "secret");
        var environment = new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = credentials };

        var settings = _fixture.Load(ConfigFixture.ValidJson, exitWhenDone: false, k => environment.GetValueOrDefault(k),
            "--Mqtt:Username=box", "--Mqtt:PasswordFile=credential:mqtt-password");

        Assert.Equal(Path.Combine(credentials, "mqtt-password"), settings.Mqtt.PasswordFile);
    }

    [Fact]
    public void Load_CredentialWithoutCredentialsDirectory_Fails()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, "--Mqtt:Username=box", "--Mqtt:PasswordFile=credential:mqtt-password"));

        Assert.StartsWith("Mqtt:PasswordFile = 'credential:mqtt-password': must name a systemd credential", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StateDirectoryFromSystemd_UsedForQueueAndCache()
    {
        var state = Path.Combine(_fixture.Dir.Path, "var-lib-edgeseg");
        var settings = _fixture.Load(ConfigFixture.ValidJson, exitWhenDone: false, k => k == "STATE_DIRECTORY" ? state : null);

        Assert.Equal(state, settings.StateDirectory);
        Assert.Equal(Path.Combine(state, "mqtt-queue"), settings.Mqtt.OfflineQueueDirectory);
    }

    [Fact]
    public void Load_TlsFilesWithoutTls_Fails()
    {
        var ca = _fixture.Dir.Write("ca.pem", "-----BEGIN CERTIFICATE-----");

        var error = Assert.Throws<InvalidConfigurationException>(() => _fixture.Load(ConfigFixture.ValidJson, $"--Mqtt:Tls:CaFile={ca}"));

        Assert.Equal(["Mqtt:Tls:Enabled (not set): must be true when TLS files or a server name are configured"], error.Errors);
    }

    [Fact]
    public void Load_TlsEnabled_DefaultsPortTo8883()
    {
        var json = ConfigFixture.ValidJson.Replace(", \"Port\": 1883", "", StringComparison.Ordinal);

        var settings = _fixture.Load(json, "--Mqtt:Tls:Enabled=true");

        Assert.Equal(8883, settings.Mqtt.Port);
    }
}
