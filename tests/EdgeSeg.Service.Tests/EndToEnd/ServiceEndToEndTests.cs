using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Mqtt;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The real service as a child process (`edgeseg run`) with a real mosquitto, a real model from tests/models and a
/// real H.264 clip made by ffmpeg.
/// </summary>
public sealed class ServiceEndToEndTests : IDisposable
{
    private const int Frames = 12;
    private const int Width = 320;
    private const int Height = 240;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model => TestRepo.Path("tests", "models", "bench-640x360.onnx");

    [MosquittoFact]
    public async Task Run_ClipWithExitWhenDone_OneMaskAndOneMetricsPerFrameInOrderEqualToTheSegmenters()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new MessageCollector();
        await using var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "e2e-" + Guid.NewGuid().ToString("N")[..8],
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
        var clip = await MakeClipAsync();

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done",
            "--Device:Id=e2e", "--Sources:0:Id=cam0", $"--Sources:0:Uri={clip}", "--Sources:0:Pace=false",
            $"--Model:Path={Model}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        await collector.WaitForAsync(m => m.Count(x => x.Topic == "edgeseg/v1/e2e/cam0/mask") >= Frames
            && m.Count(x => x.Topic == "edgeseg/v1/e2e/cam0/metrics") >= Frames, Timeout);

        var metrics = collector.On("edgeseg/v1/e2e/cam0/metrics");
        var masks = collector.On("edgeseg/v1/e2e/cam0/mask");
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), metrics.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("frame").GetInt64()));
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => i.ToString(CultureInfo.InvariantCulture)), masks.Select(m => m.GetUserProperty("frame-index")));
        Assert.All(masks, m => Assert.Equal("image/png", m.ContentType));

        // Each mask equals what the segmenter makes of the same frame, decoded here (as `edgeseg infer` did before
        // videos moved to `edgeseg process`, which runs the service's own pipeline and so is no independent check).
        using var segmenter = OnnxRuntimeBackend.OpenSegmenter(Model, null, new SegmenterOptions { Inference = new InferenceOptions { Providers = ["cpu"] } });
        using var capture = VideoCapture.Open(clip);
        var frame = new ImageBuffer(Width, Height, 3);
        var expected = new Mask(Width, Height);
        for (var i = 0; i < Frames; i++)
        {
            Assert.True(capture.Read(frame), $"frame {i} of the clip could not be decoded");
            segmenter.Segment(frame, expected);
            var published = CvImage.Decode(masks[i].Payload.Span, ImageReadMode.Unchanged);
            Assert.Equal((Width, Height, 1), (published.Width, published.Height, published.Channels));
            Assert.True(expected.Pixels.SequenceEqual(published.Pixels), $"frame {i}: the published mask differs from the segmenter's");
        }
    }

    [MosquittoFact]
    public async Task Run_BrokerRestartedMidRun_NoMetricsLostAndMasksResume()
    {
        const int frames = 40;
        // A consumer that must miss nothing across a broker restart keeps a session on a broker that persists it:
        // what the broker acknowledged to the service but had not yet delivered survives the restart with the session.
        // (Debug logging shows the CONNACKs, to confirm the session came back.)
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, ExtraConfig = ["log_type debug"] });
        var collector = new MessageCollector();
        var subscriberId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await using var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = subscriberId,
            CleanStart = false,
            SessionExpiryInterval = 600,
            // Quick reconnects only keep the test short: the session holds what arrives while the subscriber is away.
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
        var clip = await MakeClipAsync(frames);

        using var service = Process.Start(EdgesegProcess.StartInfo(_dir.Path, "run", "--exit-when-done",
            "--Device:Id=e2e", "--Sources:0:Id=cam0", $"--Sources:0:Uri={clip}", "--Sources:0:Pace=true",
            $"--Model:Path={Model}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}"))!;
        var stdout = service.StandardOutput.ReadToEndAsync();
        var stderr = service.StandardError.ReadToEndAsync();

        await collector.WaitForAsync(m => m.Count(x => x.Topic == "edgeseg/v1/e2e/cam0/metrics") >= 5, Timeout);
        await broker.StopAsync();
        await broker.StartAsync();

        using var cts = new CancellationTokenSource(Timeout);
        await service.WaitForExitAsync(cts.Token);
        Assert.True(service.ExitCode == ExitCodes.Ok, $"exit {service.ExitCode}: {await stderr}");
        await collector.WaitForAsync(m => MetricsFrames(m).Distinct().Count() == frames, Timeout);
        Assert.Contains($"Sending CONNACK to {subscriberId} (1, 0)", await File.ReadAllTextAsync(broker.LogPath), StringComparison.Ordinal);

        // At least once: a message in flight at the restart may arrive twice; none is missing and first arrivals keep order.
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i), MetricsFrames(collector.Messages).Distinct());
        var masksAfterRestart = collector.On("edgeseg/v1/e2e/cam0/mask").Select(m => int.Parse(m.GetUserProperty("frame-index")!, CultureInfo.InvariantCulture));
        Assert.Contains(frames - 1, masksAfterRestart);
        _ = await stdout;
    }

    private static IEnumerable<long> MetricsFrames(IReadOnlyList<MqttMessage> messages) =>
        messages.Where(m => m.Topic == "edgeseg/v1/e2e/cam0/metrics").Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("frame").GetInt64());

    [Fact]
    public async Task Run_CorruptModel_ExitsModelUnavailableNamingTheKey()
    {
        var clip = await MakeClipAsync();
        var model = _dir.Write("broken.onnx", "this is not an ONNX model");

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done",
            $"--Sources:0:Uri={clip}", $"--Model:Path={model}", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        Assert.Equal(ExitCodes.ModelUnavailable, code);
        Assert.Contains($"Model:Path = '{model}': the model could not be loaded", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FileThatIsNotAVideo_ExitsSourceUnavailableNamingTheSource()
    {
        var notVideo = _dir.Write("notes.mp4", "plain text, not a video");

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done",
            $"--Sources:0:Uri={notVideo}", $"--Model:Path={Model}", "--Model:Providers=cpu", "--Mqtt:Port=1",
            "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        Assert.Equal(ExitCodes.SourceUnavailable, code);
        Assert.Contains("Sources:0:Uri = '", stderr, StringComparison.Ordinal);
        Assert.Contains("notes.mp4", stderr, StringComparison.Ordinal);
    }

    private Task<string> MakeClipAsync(int frames = Frames) =>
        TestClips.MakeAsync(Path.Combine(_dir.Path, frames == Frames ? "clip.mp4" : $"clip{frames}.mp4"), Width, Height, frames);
}
