using System.Globalization;
using System.Net;
using System.Text.Json;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Hosting;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The whole appliance in-process (real host, ONNX Runtime, clip, mosquitto and a unix notification socket for
/// systemd): health reflects whether the service does its job end to end, not only whether frames enter the pipeline.
/// A model that fails every frame, or a broker that stops acknowledging, shows in /readyz, the retained status and the
/// watchdog within one keep-alive period (5 s here: judged over 2.5 s).
/// </summary>
public sealed class HealthTruthTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Health_ModelFailsEveryFrame_NotReadyWithTheReasonInReadyzStatusAndWatchdog()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var statuses = await SubscribeAsync(broker, "edgeseg/v1/box-1/status");
        var model = Path.Combine(_dir.Path, "failing.onnx");
        HandOnnx.WriteFailingEveryRun(model);
        using var socket = new NotifySocket();
        await using var host = await StartAsync(broker, model, socket);

        var body = await WaitForReadyzAsync(host, b => Problems(b).Any(p => p.Contains("frame(s) of the last", StringComparison.Ordinal)));

        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.Contains(Problems(body), p => p.StartsWith("source 'cam0': all ", StringComparison.Ordinal) && p.Contains("Reshape", StringComparison.Ordinal));
        await statuses.WaitForAsync(m => m.Any(s => !Status(s).GetProperty("ready").GetBoolean() && Status(s).GetProperty("problems").GetArrayLength() > 0), Timeout);
        var line = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal) && m.Contains("problem(s)", StringComparison.Ordinal), Timeout);
        var after = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal), Timeout);
        var more = await socket.ReceiveUntilAsync(m => m.StartsWith("STATUS=", StringComparison.Ordinal), Timeout);
        Assert.DoesNotContain("WATCHDOG=1", after.Concat(more));
        Assert.NotEmpty(line);
    }

    [MosquittoFact]
    public async Task Health_BrokerStopsAcknowledging_NotReadyNamingTheStuckSession()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var socket = new NotifySocket();
        await using var host = await StartAsync(broker, TestRepo.Path("tests", "models", "bench-640x360.onnx"), socket);
        await WaitForReadyzAsync(host, b => b.GetProperty("ready").GetBoolean());

        // Frozen: its socket stays open, nothing is acknowledged (as a broker that hangs, or a session stuck after CONNACK).
        broker.Freeze();
        var body = await WaitForReadyzAsync(host, b => Problems(b).Any(p => p.Contains("acknowledged none", StringComparison.Ordinal)));

        Assert.False(body.GetProperty("ready").GetBoolean());
        await broker.KillAsync();
    }

    private static IEnumerable<string> Problems(JsonElement body) =>
        body.TryGetProperty("problems", out var problems) ? problems.EnumerateArray().Select(p => p.GetString()!) : [];

    private static JsonElement Status(MqttMessage message) => JsonDocument.Parse(message.Payload).RootElement;

    private async Task<RunningHost> StartAsync(MosquittoBroker broker, string model, NotifySocket socket)
    {
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 48, 32, 20);
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socket.Address, ["WATCHDOG_USEC"] = "1000000" };
        return await RunningHost.StartAsync(
            name => environment.GetValueOrDefault(name),
            services => ApplianceRegistration.AddAppliance(services, new RunMode(ExitWhenDone: false, Summary: false)),
            $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true", $"--Model:Path={model}", "--Model:Providers=cpu",
            string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={broker.Port}"), "--Mqtt:KeepAliveSeconds=5",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
    }

    private static async Task<JsonElement> WaitForReadyzAsync(RunningHost host, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using var response = await host.Http.GetAsync("/readyz");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            Assert.Equal(body.GetProperty("ready").GetBoolean() ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
            if (until(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz never said so within {Timeout}: {body}");
            await Task.Delay(200);
        }
    }

    private static async Task<MessageCollector> SubscribeAsync(MosquittoBroker broker, string topic)
    {
        var collector = new MessageCollector();
        var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "health-" + Guid.NewGuid().ToString("N")[..8],
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription(topic) { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
        return collector;
    }
}
