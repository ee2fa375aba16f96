using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Mqtt;
using EdgeSeg.OpenCv;
using EdgeSeg.Service.Publishing;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Publishing;

public sealed class EdgeSegPublisherTests
{
    private static Mask RoadScene(int width, int height, int seed)
    {
        var random = new Random(seed);
        var mask = new Mask(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var cls = y > height / 2 ? ApplianceClass.Road : ApplianceClass.Background;
                if (random.Next(20) == 0)
                {
                    cls = (ApplianceClass)random.Next(ApplianceClasses.Count);
                }

                mask[x, y] = cls;
            }
        }

        return mask;
    }

    [MosquittoFact]
    public async Task PublishMask_MosquittoSubReceives_PngDecodesToTheMaskSent()
    {
        await using var f = await PublisherFixture.StartAsync();
        var topic = f.Publisher.Topics.Mask("cam0");
        using var sub = Process.Start(new ProcessStartInfo("mosquitto_sub", ["-h", f.Broker.Host, "-p", f.Broker.Port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-C", "1", "-N", "-V", "mqttv5"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        using var stdout = new MemoryStream();
        var copy = sub.StandardOutput.BaseStream.CopyToAsync(stdout);

        // mosquitto_sub subscribes in its own time: keep publishing frames until it has one.
        var masks = new List<Mask>();
        for (var frame = 0; !sub.HasExited && frame < 500; frame++)
        {
            var mask = RoadScene(480, 360, frame);
            masks.Add(mask);
            f.Publisher.PublishMask("cam0", mask, frame, DateTimeOffset.UtcNow, "unet-test");
            await Task.WhenAny(sub.WaitForExitAsync(), Task.Delay(50));
        }

        await sub.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await copy;
        var png = stdout.ToArray();
        var image = CvImage.Decode(png, ImageReadMode.Unchanged);
        Assert.Equal((480, 360, 1), (image.Width, image.Height, image.Channels));
        Assert.Contains(masks, m => m.Pixels.SequenceEqual(image.Pixels));
    }

    [MosquittoFact]
    public async Task PublishMask_ScaledByHalf_IsNearestNeighbourWithProperties()
    {
        await using var f = await PublisherFixture.StartAsync(maskScale: 0.5);
        var mask = RoadScene(101, 75, 7);
        var capture = new DateTimeOffset(2026, 11, 21, 17, 0, 0, 123, TimeSpan.Zero);
        Assert.True(f.Publisher.PublishMask("cam1", mask, 42, capture, "unet-test"));
        var got = await f.Received.WaitForAsync("edgeseg/v1/box1/cam1/mask");

        Assert.Equal("image/png", got.ContentType);
        Assert.Equal("42", got.GetUserProperty("frame-index"));
        Assert.Equal("2026-11-21T17:00:00.123Z", got.GetUserProperty("capture-time"));
        Assert.Equal("51", got.GetUserProperty("width"));
        Assert.Equal("38", got.GetUserProperty("height"));
        Assert.Equal("unet-test", got.GetUserProperty("model"));
        Assert.Equal(ApplianceClasses.ListVersion.ToString(CultureInfo.InvariantCulture), got.GetUserProperty("class-list-version"));

        var image = CvImage.Decode(got.Payload.Span, ImageReadMode.Unchanged);
        Assert.Equal((51, 38, 1), (image.Width, image.Height, image.Channels));
        for (var y = 0; y < 38; y++)
        {
            for (var x = 0; x < 51; x++)
            {
                // Independent reference: the source pixel whose cell contains the target pixel's top-left corner.
                var sx = (int)Math.Floor(x * 101.0 / 51);
                var sy = (int)Math.Floor(y * 75.0 / 38);
                Assert.Equal((byte)mask[sx, sy], image.Row(y)[x]);
            }
        }
    }

    [MosquittoFact]
    public async Task Connect_PublishesRetainedOnlineStatusAndClassList()
    {
        await using var f = await PublisherFixture.StartAsync();
        var status = await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        using var json = JsonDocument.Parse(status.Payload);
        Assert.Equal("online", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("unet-test", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("cpu", json.RootElement.GetProperty("provider").GetString());
        Assert.Equal(["cam0", "cam1"], json.RootElement.GetProperty("sources").EnumerateArray().Select(e => e.GetString()));

        // A consumer arriving later gets both retained.
        var late = new ReceivedMessages();
        await using var consumer = new MqttClient(PublisherFixture.ClientOptions(f.Broker, "late")) { MessageReceived = late.Handle };
        await consumer.StartAsync();
        await consumer.SubscribeAsync([new MqttSubscription("edgeseg/v1/box1/+")]);
        var classes = await late.WaitForAsync("edgeseg/v1/box1/classes");
        Assert.True(classes.Retain);
        using var list = JsonDocument.Parse(classes.Payload);
        Assert.Equal(ApplianceClasses.ListVersion, list.RootElement.GetProperty("version").GetInt32());
        var entries = list.RootElement.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(ApplianceClasses.All.Select(c => (int)c.Index), entries.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal(ApplianceClasses.All.Select(c => c.Name), entries.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("#804080", entries[1].GetProperty("color").GetString());
        Assert.True((await late.WaitForAsync("edgeseg/v1/box1/status")).Retain);
    }

    [MosquittoFact]
    public async Task Will_ServiceConnectionKilled_StatusBecomesRetainedOffline()
    {
        await using var f = await PublisherFixture.StartAsync();
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        f.Service.AbortConnection("test kills the service's connection");
        var offline = await f.Received.WaitForAsync("edgeseg/v1/box1/status", m => Encoding.UTF8.GetString(m.Payload.Span).Contains("offline", StringComparison.Ordinal));
        Assert.Equal("application/json", offline.ContentType);
    }

    [MosquittoFact]
    public async Task PublishMetricsAndEvents_JsonBytes_ArriveAsQos1WithFrameIndex()
    {
        await using var f = await PublisherFixture.StartAsync();
        Assert.True(f.Publisher.PublishMetrics("cam0", "{\"coverage\":{\"road\":0.4}}"u8.ToArray(), 9));
        Assert.True(f.Publisher.PublishEvent("cam0", "{\"type\":\"start\",\"kind\":\"pedestrian_in_corridor\"}"u8.ToArray()));
        var metrics = await f.Received.WaitForAsync("edgeseg/v1/box1/cam0/metrics");
        var events = await f.Received.WaitForAsync("edgeseg/v1/box1/cam0/events");
        Assert.Equal(MqttQualityOfService.AtLeastOnce, metrics.QualityOfService);
        Assert.Equal("9", metrics.GetUserProperty("frame-index"));
        Assert.Equal("{\"coverage\":{\"road\":0.4}}", Encoding.UTF8.GetString(metrics.Payload.Span));
        Assert.Equal(MqttPayloadFormat.Utf8, events.PayloadFormat);
    }

    [MosquittoFact]
    public async Task SetRateCommand_RateBelowTheRange_IsRefusedAndEveryStreamKeepsPublishing()
    {
        await using var f = await PublisherFixture.StartAsync();
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");

        // Retained, as the attack sent it: it must be refused on every connect, not just once.
        await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/set-rate", "{\"id\":\"tiny\",\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":1e-300}"u8.ToArray())
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
        });
        var reply = await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/set-rate/reply");
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("from 0.001 to 1000", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(f.Publisher.GetRate("cam0", PublishedStream.Mask));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Publisher.SetRate("cam0", PublishedStream.Mask, 1e-300));

        // The smallest rate allowed limits without ever failing a frame.
        f.Publisher.SetRate("cam0", PublishedStream.Mask, 0.001);
        var mask = new Mask(4, 4);
        Assert.True(f.Publisher.PublishMask("cam0", mask, 1, DateTimeOffset.UtcNow, "m"));
        Assert.False(f.Publisher.PublishMask("cam0", mask, 2, DateTimeOffset.UtcNow, "m"));
        Assert.True(f.Publisher.PublishMetrics("cam0", "{}"u8.ToArray(), 2));
    }

    [MosquittoFact]
    public async Task SetRateCommand_Valid_RepliesOkAndLimitsTheStream()
    {
        await using var f = await PublisherFixture.StartAsync();
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/set-rate", "{\"id\":\"r1\",\"source\":\"cam0\",\"stream\":\"metrics\",\"fps\":0.01}"u8.ToArray()) { QualityOfService = MqttQualityOfService.AtLeastOnce });
        var reply = await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/set-rate/reply");
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("r1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal(0.01, f.Publisher.GetRate("cam0", PublishedStream.Metrics));

        // At 0.01 fps the second frame within 100 s is skipped; other sources are untouched.
        Assert.True(f.Publisher.PublishMetrics("cam0", "{}"u8.ToArray(), 1));
        Assert.False(f.Publisher.PublishMetrics("cam0", "{}"u8.ToArray(), 2));
        Assert.True(f.Publisher.PublishMetrics("cam1", "{}"u8.ToArray(), 2));
        Assert.True(f.Publisher.PublishMetrics("cam1", "{}"u8.ToArray(), 3));
        Assert.Equal(1, f.Publisher.RateSkipped);
    }

    [MosquittoFact]
    public async Task Commands_Malformed_AreRejectedWithReasonAndNeverExecuted()
    {
        var snapshots = 0;
        await using var f = await PublisherFixture.StartAsync(configure: p => p.SnapshotRequested = (_, _) =>
        {
            Interlocked.Increment(ref snapshots);
            return Task.FromResult(new CommandResult(true, "taken"));
        });
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        (string Command, string Payload, string Reason)[] cases =
        [
            ("snapshot", "not json", "not valid JSON"),
            ("snapshot", "[1,2]", "must be a JSON object"),
            ("snapshot", "{\"source\":\"cam9\"}", "unknown source 'cam9'"),
            ("snapshot", "{\"source\":\"cam0\",\"rm\":\"-rf\"}", "unknown field 'rm'"),
            ("snapshot", "{\"source\":5}", "'source' must be a string"),
            ("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":-1}", "'fps' must be a number from 0.001 to 1000"),
            ("set-rate", "{\"source\":\"cam0\",\"stream\":\"video\",\"fps\":1}", "'stream' must be mask, metrics or overlay"),
            ("set-rate", "{\"stream\":\"mask\",\"fps\":1}", "'source' is required"),
            ("reboot", "{}", "unknown command 'reboot'"),
        ];
        foreach (var (command, payload, reason) in cases)
        {
            await f.Watcher.PublishAsync(new MqttMessage($"edgeseg/v1/box1/cmd/{command}", Encoding.UTF8.GetBytes(payload)) { QualityOfService = MqttQualityOfService.AtLeastOnce });
            var reply = await f.Received.WaitForAsync($"edgeseg/v1/box1/cmd/{command}/reply", m => ErrorOf(m).Contains(reason, StringComparison.Ordinal))
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException(
                    $"no rejection '{reason}' for {command} {payload}; replies: {string.Join(" | ", f.Received.On($"edgeseg/v1/box1/cmd/{command}/reply").Select(ErrorOf))}"), TaskScheduler.Default);
            using var json = JsonDocument.Parse(reply.Payload);
            Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(command, json.RootElement.GetProperty("command").GetString());
        }

        Assert.Equal(0, snapshots);
        Assert.Null(f.Publisher.GetRate("cam0", PublishedStream.Mask));
    }

    private static string ErrorOf(MqttMessage reply)
    {
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "";
    }

    [MosquittoFact]
    public async Task SnapshotCommand_WithResponseTopicAndCorrelation_HandlerRunsAndReplyGoesThere()
    {
        SnapshotCommand? seen = null;
        await using var f = await PublisherFixture.StartAsync(configure: p => p.SnapshotRequested = (command, _) =>
        {
            seen = command;
            return Task.FromResult(new CommandResult(true, "snapshot of cam1 published"));
        });
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/snapshot", "{\"source\":\"cam1\"}"u8.ToArray())
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ResponseTopic = "edgeseg/v1/consumers/me",
            CorrelationData = new byte[] { 4, 2 },
        });
        var reply = await f.Received.WaitForAsync("edgeseg/v1/consumers/me");
        Assert.Equal(new byte[] { 4, 2 }, reply.CorrelationData!.Value.ToArray());
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("snapshot of cam1 published", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("cam1", seen!.Source);
    }
}
