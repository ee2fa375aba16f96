using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.EndToEnd;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;
using EdgeSeg.TestSupport.Synthetic;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>
/// The same clip through the real service (<c>run --exit-when-done</c>, a real mosquitto, a subscriber) and through
/// <c>edgeseg process</c>: the metrics and events are the same bytes. Two things differ by design and are mapped before
/// comparing: the time origin (the service times a file from when it began reading it, process from the file's
/// modification time; the offset must be one constant for every timestamp) and the event ids (random UUIDv7s; they
/// must map one to one, in order).
/// </summary>
public sealed partial class ProcessMatchesServiceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Process_SameClipAsTheService_SameMetricsAndEventsBytes()
    {
        using var drive = await SyntheticDrive.RenderAsync(seed: 3, seconds: 9, fps: 15);
        string[] model = [$"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Model:Providers=cpu", "--Model:IntraOpThreads=1",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}"];

        // The service, over MQTT.
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new MessageCollector();
        await using (var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "same-" + Guid.NewGuid().ToString("N")[..8],
        }))
        {
            subscriber.MessageReceived = collector.OnMessageAsync;
            await subscriber.StartAsync();
            await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
            await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);
            var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, ["run", "--exit-when-done", "--Device:Id=box", "--Sources:0:Id=drive",
                $"--Sources:0:Uri={drive.ClipPath}", "--Sources:0:Pace=false", $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0", .. model]);
            Assert.True(code == ExitCodes.Ok, $"run: exit {code}: {stderr}");
            await collector.WaitForAsync(m => m.Count(x => x.Topic == "edgeseg/v1/box/drive/metrics") >= drive.Frames, Timeout);
        }

        // process, to files.
        var (processCode, stdout, processErr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, ["process", "--input", drive.ClipPath, "--out", Path.Combine(_dir.Path, "out"), .. model]);
        Assert.True(processCode == ExitCodes.Ok, $"process: exit {processCode}: {stdout}{processErr}");
        var trip = Path.Combine(_dir.Path, "out", "drive");
        var fileMetrics = File.ReadAllLines(Path.Combine(trip, "metrics.jsonl"));
        var fileEvents = File.ReadAllLines(Path.Combine(trip, "events.jsonl"));
        var mqttMetrics = collector.On("edgeseg/v1/box/drive/metrics").Select(m => Encoding.UTF8.GetString(m.Payload.Span))
            .OrderBy(p => JsonDocument.Parse(p).RootElement.GetProperty("frame").GetInt64()).ToArray();
        var mqttEvents = collector.On("edgeseg/v1/box/drive/events").Select(m => Encoding.UTF8.GetString(m.Payload.Span)).ToArray();
        output.WriteLine($"{fileMetrics.Length} metrics and {fileEvents.Length} events in the files; {mqttMetrics.Length} and {mqttEvents.Length} over MQTT");

        Assert.Equal(drive.Frames, fileMetrics.Length);
        Assert.Equal(mqttMetrics.Length, fileMetrics.Length);
        Assert.NotEmpty(fileEvents);
        Assert.Equal(mqttEvents.Length, fileEvents.Length);

        // One constant offset between the two time origins, for every timestamp of every document.
        var offset = Time(fileMetrics[0], "timestamp") - Time(mqttMetrics[0], "timestamp");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < fileMetrics.Length; i++)
        {
            Assert.Equal(fileMetrics[i], Shifted(mqttMetrics[i], offset, ids));
        }

        for (var i = 0; i < fileEvents.Length; i++)
        {
            Assert.Equal(fileEvents[i], Shifted(mqttEvents[i], offset, ids, fileEvents[i]));
        }

        Assert.Equal(ids.Count, ids.Values.Distinct().Count());
    }

    private static DateTimeOffset Time(string json, string field) => JsonDocument.Parse(json).RootElement.GetProperty(field).GetDateTimeOffset();

    /// <summary>
    /// The service's document with each timestamp moved by <paramref name="offset"/> and written as process writes it
    /// (the same writer: ISO 8601 round-trip), and its event id replaced by the id process gave the same event.
    /// </summary>
    private static string Shifted(string mqtt, TimeSpan offset, Dictionary<string, string> ids, string? file = null)
    {
        var shifted = TimeField().Replace(mqtt, m =>
        {
            var time = DateTimeOffset.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) + offset;
            return $"\"{m.Groups[1].Value}\":{JsonSerializer.Serialize(time)}";
        });
        if (file is null)
        {
            return shifted;
        }

        var serviceId = JsonDocument.Parse(mqtt).RootElement.GetProperty("id").GetString()!;
        var fileId = JsonDocument.Parse(file).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(fileId, ids.TryAdd(serviceId, fileId) ? fileId : ids[serviceId]);
        return shifted.Replace(serviceId, fileId, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"(timestamp|start|end)\":\"([^\"]+)\"")]
    private static partial Regex TimeField();
}
