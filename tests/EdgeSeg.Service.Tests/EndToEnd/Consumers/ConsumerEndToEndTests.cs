using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>
/// The consumer samples (samples/consumers/*) against the real service: each sample is a separate process, the
/// service runs the shared synthetic drive with the default model, and the broker is a real mosquitto. Run once per
/// sample (<see cref="DotnetConsumerTests"/>, <see cref="PythonConsumerTests"/>): the samples are one contract.
/// </summary>
[Collection(ConsumerDriveGroup.Name)]
public abstract partial class ConsumerEndToEndTests(ConsumerDriveFixture drive, ITestOutputHelper output) : IDisposable
{
    private const string Device = "e2e";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private static readonly string[] Streams = ["status", "classes", "mask", "metrics", "events"];
    private static readonly string[] EventTypes = ["pedestrian_in_corridor", "vehicle_close", "lane_departure", "camera_obstructed"];
    private static readonly string[] EventPhases = ["start", "update", "end"];

    private static readonly string[] EventFields =
        ["schema", "source", "id", "type", "phase", "start", "timestamp", "end", "durationS", "value", "peak", "timeToContactS"];

    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>How to start this sample with <paramref name="args"/>.</summary>
    protected abstract ProcessStartInfo StartInfo(IReadOnlyList<string> args);

    [MosquittoFact]
    public async Task Consumer_ServiceOnDriveAcrossConsumerRestart_EveryStreamArrivesAsDocumented()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var clientId = "consumer-" + Guid.NewGuid().ToString("N")[..8];
        var first = StartConsumer(broker, "--json", "--device", Device, "--client-id", clientId);
        await first.WaitForAsync(c => c.Log.Any(l => l.StartsWith("subscribed:", StringComparison.Ordinal)), Timeout, "first run subscribed");

        // Paced, so that the consumer can be stopped while the service still publishes.
        using var service = StartService(broker, loop: false);
        var serviceStderr = service.StandardError.ReadToEndAsync();
        _ = service.StandardOutput.ReadToEndAsync();
        // Half the drive live (its masks are compared with edgeseg process's), the other half through the kept session.
        await first.WaitForAsync(c => Lines(c, "metrics").Count >= drive.Frames / 2, Timeout, "half the metrics before the restart");
        Assert.Equal(0, await first.InterruptAsync(Timeout));

        // The service finishes while the consumer is away; its session keeps the QoS 1 metrics and events.
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await service.WaitForExitAsync(cts.Token);
        }

        Assert.True(service.ExitCode == ExitCodes.Ok, $"service exit {service.ExitCode}: {await serviceStderr}");
        await using var second = StartConsumer(broker, "--json", "--device", Device, "--client-id", clientId);
        await second.WaitForAsync(c => c.Log.Any(l => l.Contains("(session present: True)", StringComparison.Ordinal)), Timeout, "second run resumed its session");

        // A marker published now reaches the session after everything the broker kept for it.
        await PublishMarkerAsync(broker);
        await second.WaitForAsync(c => Lines(c, "metrics").Any(l => l.Topic.Contains("/marker/", StringComparison.Ordinal)), Timeout, "the marker");
        Assert.Equal(0, await second.InterruptAsync(Timeout));

        // A third run with a new session reads the retained status (the service's clean stop left "offline") and classes.
        await using var third = StartConsumer(broker, "--json");
        await third.WaitForAsync(c => Lines(c, "status").Count >= 1 && Lines(c, "classes").Count >= 1, Timeout, "retained status and classes");
        Assert.Equal(0, await third.InterruptAsync(Timeout));

        var lines = first.Lines.Concat(second.Lines).Select(Parse).Where(l => !l.Topic.Contains("/marker/", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.False(l.Json.TryGetProperty("error", out var e), $"{l.Stream} {l.Topic}: {e}"));

        // Status and classes: JSON, retained where the README says; the model named in the status is the masks' model.
        var statuses = lines.Where(l => l.Stream == "status").ToList();
        // The service says "online" on connect and again once the model is loaded (the first one names no model yet).
        Assert.Equal(["online", "offline"], statuses.Select(s => s.Payload.GetProperty("state").GetString()).Distinct());
        var online = statuses.Last(s => s.Payload.GetProperty("state").GetString() == "online");
        var model = online.Payload.GetProperty("model").GetString();
        Assert.False(string.IsNullOrEmpty(model));
        var retainedStatus = Assert.Single(Lines(third, "status"));
        Assert.True(retainedStatus.Json.GetProperty("retain").GetBoolean());
        Assert.Equal("offline", retainedStatus.Payload.GetProperty("state").GetString());
        Assert.Equal(Device, retainedStatus.Payload.GetProperty("device").GetString());
        var classes = Assert.Single(Lines(third, "classes"));
        Assert.True(classes.Json.GetProperty("retain").GetBoolean());
        Assert.All(new[] { retainedStatus, classes }, AssertJsonProperties);
        Assert.Equal(
            ["background #000000", "road #804080", "vehicle #0000e6", "pedestrian #dc143c", "lane_marking #ffd700"],
            classes.Payload.GetProperty("classes").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("color").GetString()}"));
        var classListVersion = classes.Payload.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture);

        // Metrics: QoS 1 across the consumer's restart, so no frame is missing; first arrivals in order.
        var metrics = lines.Where(l => l.Stream == "metrics").ToList();
        Assert.All(metrics, AssertJsonProperties);
        Assert.All(metrics, m => Assert.Equal(m.Payload.GetProperty("frame").GetInt64().ToString(CultureInfo.InvariantCulture), m.UserProperty("frame-index")));
        Assert.Equal(Enumerable.Range(0, drive.Frames).Select(i => (long)i), metrics.Select(m => m.Payload.GetProperty("frame").GetInt64()).Distinct());
        Assert.Contains(Lines(second, "metrics"), m => !m.Topic.Contains("/marker/", StringComparison.Ordinal)); // kept by the session

        // Masks (QoS 0: those published while the consumer ran): the frame's size, classes 0-4 only, edgeseg process's pixels.
        var masks = lines.Where(l => l.Stream == "mask").ToList();
        Assert.True(masks.Count >= drive.Frames / 4, $"{masks.Count} masks");
        foreach (var mask in masks)
        {
            var frame = int.Parse(mask.UserProperty("frame-index")!, CultureInfo.InvariantCulture);
            Assert.Equal((ConsumerDriveFixture.Width, ConsumerDriveFixture.Height), (mask.Json.GetProperty("width").GetInt32(), mask.Json.GetProperty("height").GetInt32()));
            Assert.Equal(0, mask.Json.GetProperty("otherValues").GetInt64());
            Assert.Equal((long)ConsumerDriveFixture.Width * ConsumerDriveFixture.Height, mask.Json.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()));
            Assert.True(drive.ReferenceMaskHashes[frame] == mask.Json.GetProperty("sha256").GetString(), $"frame {frame}: the mask differs from edgeseg process's");
            Assert.Equal("image/png", mask.Json.GetProperty("contentType").GetString());
            Assert.Equal(ConsumerDriveFixture.Width.ToString(CultureInfo.InvariantCulture), mask.UserProperty("width"));
            Assert.Equal(ConsumerDriveFixture.Height.ToString(CultureInfo.InvariantCulture), mask.UserProperty("height"));
            Assert.Equal(model, mask.UserProperty("model"));
            Assert.Equal(classListVersion, mask.UserProperty("class-list-version"));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", mask.UserProperty("capture-time"));
        }

        // Events: every message against the documented schema, and each event's phases in order.
        var events = lines.Where(l => l.Stream == "events").ToList();
        Assert.NotEmpty(events);
        Assert.All(events, AssertJsonProperties);
        Assert.All(events, e => AssertEventSchema(e.Payload));
        output.WriteLine($"{metrics.Count} metrics ({Lines(second, "metrics").Count - 1} kept by the session), {masks.Count} masks equal to edgeseg process's, "
            + $"{events.Count} events ({string.Join(", ", events.Select(e => e.Payload.GetProperty("type").GetString() + " " + e.Payload.GetProperty("phase").GetString()))})");
        foreach (var phases in events.GroupBy(e => e.Payload.GetProperty("id").GetString()).Select(g => g.Select(e => e.Payload.GetProperty("phase").GetString()).Distinct().ToList()))
        {
            Assert.Equal("start", phases[0]);
            Assert.True(phases.IndexOf("end") is -1 || phases.IndexOf("end") == phases.Count - 1, string.Join(",", phases));
        }
    }

    [MosquittoFact]
    public async Task Consumer_ServiceKilled_PrintsTheLastWillOffline()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var consumer = StartConsumer(broker, "--device", Device, "--client-id", "consumer-" + Guid.NewGuid().ToString("N")[..8]);
        await consumer.WaitForAsync(c => c.Log.Any(l => l.StartsWith("subscribed:", StringComparison.Ordinal)), Timeout, "subscribed");
        using var service = StartService(broker, loop: true);
        _ = service.StandardOutput.ReadToEndAsync();
        _ = service.StandardError.ReadToEndAsync();
        try
        {
            await consumer.WaitForAsync(c => c.Lines.Any(l => l.StartsWith($"status {Device} state=online ", StringComparison.Ordinal))
                && c.Lines.Any(l => l.StartsWith("mask ", StringComparison.Ordinal)) && c.Lines.Any(l => l.StartsWith("metrics ", StringComparison.Ordinal)),
                Timeout, "online, a mask and metrics");
        }
        finally
        {
            service.Kill(); // SIGKILL: no DISCONNECT, no offline status from the service itself
        }

        await consumer.WaitForAsync(c => c.Lines.Any(l => l == $"status {Device} state=offline retained=false"), Timeout, "the last will");

        // The readable lines: the stream's name, the device/source, then key=value pairs.
        Assert.All(consumer.Lines, l => Assert.Contains(l.Split(' ')[0], Streams));
        Assert.Contains(consumer.Lines, l => MaskLine().IsMatch(l));
        Assert.Contains(consumer.Lines, l => MetricsLine().IsMatch(l));
        Assert.Equal(0, await consumer.InterruptAsync(Timeout));
    }

    [MosquittoFact]
    public async Task Consumer_BadPayloads_ReportsEachOnItsLineAndGoesOn()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var consumer = StartConsumer(broker, "--device", Device, "--client-id", "consumer-" + Guid.NewGuid().ToString("N")[..8]);
        await consumer.WaitForAsync(c => c.Log.Any(l => l.StartsWith("subscribed:", StringComparison.Ordinal)), Timeout, "subscribed");

        await PublishAsync(broker, $"edgeseg/v1/{Device}/cam0/mask", "not a PNG"u8.ToArray());
        await PublishAsync(broker, $"edgeseg/v1/{Device}/cam0/metrics", "{\"frame\": "u8.ToArray());
        await PublishAsync(broker, $"edgeseg/v1/{Device}/cam0/events", """{"schema":1,"id":"x","type":"vehicle_close","phase":"start"}"""u8.ToArray());
        await consumer.WaitForAsync(c => c.Lines.Count >= 3, Timeout, "three lines");

        Assert.StartsWith($"mask {Device}/cam0 error=\"edgeseg/v1/{Device}/cam0/mask: ", consumer.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"metrics {Device}/cam0 error=\"edgeseg/v1/{Device}/cam0/metrics: ", consumer.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"events {Device}/cam0 id=x type=vehicle_close phase=start", consumer.Lines[2]);
        Assert.Equal(0, await consumer.InterruptAsync(Timeout));
    }

    [Fact]
    public async Task Consumer_PortOutOfRange_ExitsTwoNamingTheOption()
    {
        await using var consumer = ConsumerProcess.Start(StartInfo(["--port", "99999"]));
        await consumer.WaitForAsync(c => c.Log.Any(l => l.Contains("'99999' is not a TCP port (1-65535)", StringComparison.Ordinal)), Timeout, "the error");
        Assert.Equal(2, await consumer.WaitForExitAsync(Timeout));
        Assert.Contains(consumer.Log, l => l.Contains("--port", StringComparison.Ordinal));
    }

    private static void AssertJsonProperties(ConsumerLine line)
    {
        Assert.Equal("application/json", line.Json.GetProperty("contentType").GetString());
        Assert.Equal("utf8", line.Json.GetProperty("payloadFormat").GetString());
    }

    private static void AssertEventSchema(JsonElement e)
    {
        Assert.Equal(EventFields, e.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, e.GetProperty("schema").GetInt32());
        Assert.Equal("cam0", e.GetProperty("source").GetString());
        Assert.True(Guid.TryParse(e.GetProperty("id").GetString(), out var id) && id.Version == 7, $"id {e.GetProperty("id")} is not a UUID v7");
        Assert.Contains(e.GetProperty("type").GetString(), EventTypes);
        var phase = e.GetProperty("phase").GetString();
        Assert.Contains(phase, EventPhases);
        var start = e.GetProperty("start").GetDateTimeOffset();
        Assert.True(e.GetProperty("timestamp").GetDateTimeOffset() >= start);
        Assert.Equal(phase == "end", e.GetProperty("end").ValueKind == JsonValueKind.String);
        Assert.True(e.GetProperty("durationS").GetDouble() >= 0);
        _ = e.GetProperty("value").GetDouble();
        _ = e.GetProperty("peak").GetDouble();
        var ttc = e.GetProperty("timeToContactS");
        Assert.True(ttc.ValueKind == JsonValueKind.Null || (ttc.ValueKind == JsonValueKind.Number && e.GetProperty("type").GetString() == "vehicle_close"), $"timeToContactS {ttc}");
    }

    private static List<ConsumerLine> Lines(ConsumerProcess consumer, string stream) =>
        [.. consumer.Lines.Where(l => l.StartsWith(stream + " ", StringComparison.Ordinal)).Select(Parse)];

    private static ConsumerLine Parse(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        Assert.True(space > 0, $"not '<stream> <json>': {line}");
        var stream = line[..space];
        Assert.Contains(stream, Streams);
        return new ConsumerLine(stream, JsonDocument.Parse(line[(space + 1)..]).RootElement, line);
    }

    private static Task PublishMarkerAsync(MosquittoBroker broker) => PublishAsync(broker, $"edgeseg/v1/{Device}/marker/metrics", "{}"u8.ToArray());

    private static async Task PublishAsync(MosquittoBroker broker, string topic, byte[] payload)
    {
        await using var client = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "marker-" + Guid.NewGuid().ToString("N")[..8],
        });
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await client.PublishAsync(new MqttMessage(topic, payload) { QualityOfService = MqttQualityOfService.AtLeastOnce });
    }

    private ConsumerProcess StartConsumer(MosquittoBroker broker, params string[] args) =>
        ConsumerProcess.Start(StartInfo(["--host", broker.Host, "--port", broker.Port.ToString(CultureInfo.InvariantCulture), .. args]));

    private Process StartService(MosquittoBroker broker, bool loop)
    {
        string[] args =
        [
            "run", "--Device:Id=" + Device, "--Sources:0:Id=cam0", $"--Sources:0:Uri={drive.ClipPath}", "--Sources:0:Pace=true",
            $"--Sources:0:Loop={(loop ? "true" : "false")}", $"--Model:Path={ConsumerDriveFixture.Model}", "--Model:Providers=cpu",
            $"--Mqtt:Port={broker.Port}", "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}",
        ];
        return Process.Start(EdgesegProcess.StartInfo(_dir.Path, loop ? args : [.. args, "--exit-when-done"]))!;
    }

    [GeneratedRegex(@"^mask e2e/cam0 frame=\d+ size=640x360 background=\d+ road=\d+ vehicle=\d+ pedestrian=\d+ lane_marking=\d+ capture-time=\S+ model=\S+$")]
    private static partial Regex MaskLine();

    [GeneratedRegex(@"^metrics e2e/cam0 frame=\d+ road=\S+ vehicle=\S+ pedestrian=\S+ laneMarking=\S+ objects=\d+ lane=\w+ offset=\S+$")]
    private static partial Regex MetricsLine();

    /// <summary>One <c>--json</c> line: the stream, the JSON object, and the line as printed.</summary>
    private sealed record ConsumerLine(string Stream, JsonElement Json, string Line)
    {
        public string Topic => Json.GetProperty("topic").GetString()!;

        public JsonElement Payload => Json.GetProperty("payload");

        public string? UserProperty(string name) =>
            Json.GetProperty("userProperties").TryGetProperty(name, out var value) ? value.GetString() : null;
    }
}
