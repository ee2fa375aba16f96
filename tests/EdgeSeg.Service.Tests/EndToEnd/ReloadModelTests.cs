using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// <c>cmd/reload-model</c> against the real service (a child process), a real mosquitto, real models from
/// tests/models and a real looping clip made by ffmpeg.
/// </summary>
public sealed class ReloadModelTests : IDisposable
{
    private const string Device = "edgeseg/v1/reload";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task ReloadModel_ValidThenMissingModel_SwapsWhileFramesFlowAndKeepsTheRunningModelOnFailure()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new MessageCollector();
        await using var client = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "reload-" + Guid.NewGuid().ToString("N")[..8],
        });
        client.MessageReceived = collector.OnMessageAsync;
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await client.SubscribeAsync([new MqttSubscription(Device + "/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
        var clip = await MakeClipAsync();
        var first = TestRepo.Path("tests", "models", "bench-640x360.onnx");
        var second = TestRepo.Path("tests", "models", "bench-heavy-640x360.onnx");

        using var service = Process.Start(EdgesegProcess.StartInfo(_dir.Path, "run",
            "--Device:Id=reload", "--Sources:0:Id=cam0", $"--Sources:0:Uri={clip}", "--Sources:0:Pace=true", "--Sources:0:Loop=true",
            $"--Model:Path={first}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}"))!;
        var stderr = service.StandardError.ReadToEndAsync();
        var stdout = service.StandardOutput.ReadToEndAsync();
        try
        {
            await collector.WaitForAsync(m => MasksBy(m, "bench-640x360") >= 3, Timeout);

            var ok = await CommandAsync(client, collector, "r1", second);
            Assert.True(ok.GetProperty("ok").GetBoolean(), ok.GetRawText());
            Assert.Equal("r1", ok.GetProperty("id").GetString());
            Assert.Contains("bench-heavy-640x360", ok.GetProperty("message").GetString(), StringComparison.Ordinal);
            await collector.WaitForAsync(m => MasksBy(m, "bench-heavy-640x360") >= 3 && StatusModel(m) == "bench-heavy-640x360", Timeout);

            var missing = Path.Combine(_dir.Path, "no-such-model.onnx");
            var failed = await CommandAsync(client, collector, "r2", missing);
            Assert.False(failed.GetProperty("ok").GetBoolean(), failed.GetRawText());
            var error = failed.GetProperty("error").GetString()!;
            Assert.Contains(missing, error, StringComparison.Ordinal);
            Assert.Contains("still running bench-heavy-640x360", error, StringComparison.Ordinal);

            // The running model keeps serving frames after the failed reload.
            var before = MasksBy(collector.Messages, "bench-heavy-640x360");
            await collector.WaitForAsync(m => MasksBy(m, "bench-heavy-640x360") >= before + 3, Timeout);
            Assert.Equal("bench-heavy-640x360", StatusModel(collector.Messages));
            Assert.False(service.HasExited, await ReadIfExitedAsync(service, stderr));
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill(entireProcessTree: true);
            }

            await service.WaitForExitAsync();
            _ = await stdout;
            _ = await stderr;
        }
    }

    private static async Task<JsonElement> CommandAsync(MqttClient client, MessageCollector collector, string id, string path)
    {
        var payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id, path }));
        await client.PublishAsync(new MqttMessage(Device + "/cmd/reload-model", payload) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        JsonElement? reply = null;
        await collector.WaitForAsync(m => (reply = Reply(m, id)) is not null, Timeout);
        return reply!.Value;
    }

    private static JsonElement? Reply(IReadOnlyList<MqttMessage> messages, string id) => messages
        .Where(m => m.Topic == Device + "/cmd/reload-model/reply")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement)
        .Where(r => r.TryGetProperty("id", out var i) && i.GetString() == id)
        .Select(r => (JsonElement?)r)
        .FirstOrDefault();

    private static int MasksBy(IReadOnlyList<MqttMessage> messages, string model) =>
        messages.Count(m => m.Topic == Device + "/cam0/mask" && m.GetUserProperty("model") == model);

    private static string? StatusModel(IReadOnlyList<MqttMessage> messages) => messages
        .Where(m => m.Topic == Device + "/status")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement)
        .Where(s => s.TryGetProperty("model", out _))
        .Select(s => s.GetProperty("model").GetString())
        .LastOrDefault();

    private static async Task<string> ReadIfExitedAsync(Process service, Task<string> stderr) =>
        service.HasExited ? $"the service exited ({service.ExitCode}): {await stderr}" : "";

    private async Task<string> MakeClipAsync()
    {
        var clip = Path.Combine(_dir.Path, "loop.mp4");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-frames:v", "20", "-pix_fmt", "yuv420p", "-c:v", "libx264", clip })
        {
            info.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(info)!;
        var error = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, "ffmpeg: " + error);
        return clip;
    }
}
