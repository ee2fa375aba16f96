using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// Runs that meet bad input, as the real service process with a real mosquitto, model and clips: a source that cannot
/// be read is faulted with its reason and the others deliver everything; a model whose tensors would exhaust memory is
/// refused at load; a run whose frames fail says so in its exit code.
/// </summary>
public sealed class FaultedRunTests : IDisposable
{
    private const int Frames = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model => TestRepo.Path("tests", "models", "bench-640x360.onnx");

    [MosquittoTheory]
    [InlineData("text", "not a readable video file")]
    [InlineData("oversized", "over the limit of 4,096")]
    public async Task Run_OneUnreadableFileSourceBesideAGoodOne_GoodOneDeliversEveryFrameAndTheBadOneIsReported(string kind, string reason)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = await SubscribeAsync(broker);
        var good = await TestClips.MakeAsync(Path.Combine(_dir.Path, "good.mp4"), 48, 32, Frames);
        var bad = kind == "text"
            ? _dir.Write("notes.mp4", "plain text, not a video")
            : await TestClips.MakeAsync(Path.Combine(_dir.Path, "big.mp4"), 160, 120, 2);

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done", "--Device:Id=e2e",
            "--Sources:0:Id=bad", $"--Sources:0:Uri={bad}", "--Sources:1:Id=good", $"--Sources:1:Uri={good}",
            kind == "oversized" ? "--Pipeline:MaxFramePixels=4096" : "--Pipeline:DrainTimeoutSeconds=5",
            $"--Model:Path={Model}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        // The bad source is reported (the run's exit code says a source failed); the good one ran to its end.
        Assert.True(code == ExitCodes.SourceUnavailable, $"exit {code}: {stderr}");
        Assert.Contains("bad", stderr, StringComparison.Ordinal);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
        await collector.WaitForAsync(m => m.Count(x => x.Topic == "edgeseg/v1/e2e/good/metrics") >= Frames, Timeout);
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i),
            collector.On("edgeseg/v1/e2e/good/metrics").Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("frame").GetInt64()));
    }

    [Fact]
    public async Task Run_CardWhoseTensorsWouldExhaustMemory_RefusedAtLoadWithModelUnavailable()
    {
        // Within the card's own ranges, a working height of 16384 makes a 16384 x 29127 float input: about 5.7 GB a frame.
        var model = Path.Combine(_dir.Path, "tall.onnx");
        File.Copy(TestRepo.Path("tests", "models", "dynamic-full.onnx"), model);
        var card = JsonNode.Parse(File.ReadAllText(TestRepo.Path("tests", "models", "dynamic-full.json")))!;
        card["input"]!["workingHeight"] = 16384;
        File.WriteAllText(Path.ChangeExtension(model, ".json"), card.ToJsonString());
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 2);

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done", $"--Sources:0:Uri={clip}",
            $"--Model:Path={model}", "--Model:Providers=cpu", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        Assert.True(code == ExitCodes.ModelUnavailable, $"exit {code}: {stderr}");
        Assert.Contains("over Model:MaxTensorMegabytes = 2048", stderr, StringComparison.Ordinal);
    }

    [MosquittoFact]
    public async Task Run_ModelFailsEveryFrame_ExitsFramesFailed()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var model = Path.Combine(_dir.Path, "failing.onnx");
        HandOnnx.WriteFailingEveryRun(model);
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 48, 32, 4);

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done", $"--Sources:0:Uri={clip}",
            $"--Model:Path={model}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        Assert.True(code == ExitCodes.FramesFailed, $"exit {code}: {stderr}");
        Assert.Contains("4 frame(s) failed in a stage", stderr, StringComparison.Ordinal);
    }

    private static async Task<MessageCollector> SubscribeAsync(MosquittoBroker broker)
    {
        var collector = new MessageCollector();
        var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "faults-" + Guid.NewGuid().ToString("N")[..8],
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
        return collector;
    }
}
