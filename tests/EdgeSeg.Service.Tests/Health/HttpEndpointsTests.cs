using System.Net;
using System.Text.Json;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Health;

public sealed class HttpEndpointsTests
{
    [Fact]
    public async Task Healthz_ProcessUp_Returns200Ok()
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_BeforeModelBrokerAndSources_Returns503WithEachPart()
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(body.RootElement.GetProperty("ready").GetBoolean());
        Assert.False(body.RootElement.GetProperty("model").GetProperty("loaded").GetBoolean());
        Assert.False(body.RootElement.GetProperty("broker").GetProperty("connected").GetBoolean());
        var source = Assert.Single(body.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal("cam0", source.GetProperty("id").GetString());
        Assert.Equal("starting", source.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Readyz_ModelLoadedBrokerConnectedSourceRunning_Returns200()
    {
        await using var host = await RunningHost.StartAsync();
        var health = host.Get<ServiceHealth>();
        health.SetModel("tiny", "cpu");
        health.SetBroker(connected: true);
        health.SetSource("cam0", SourceState.Running);
        health.SetFps("cam0", 24.5);

        using var response = await host.Http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal("cpu", body.RootElement.GetProperty("model").GetProperty("provider").GetString());
        Assert.Equal(24.5, body.RootElement.GetProperty("sources")[0].GetProperty("fps").GetDouble());

        // A source that starts reconnecting makes the service not ready again.
        health.SetSource("cam0", SourceState.Reconnecting, "read timed out");
        using var again = await host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Contains("read timed out", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterUpdates_PrometheusTextWithValues()
    {
        await using var host = await RunningHost.StartAsync();
        var metrics = host.Get<ServiceMetrics>();
        metrics.SourceFrames.WithLabels("cam0").Add(7);
        metrics.StageLatency.WithLabels("cam0", "inference").Observe(0.003);

        using var response = await host.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("edgeseg_source_frames_total{source=\"cam0\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("edgeseg_stage_latency_seconds_bucket{source=\"cam0\",stage=\"inference\",le=\"0.004\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgeseg_stage_latency_seconds_bucket{source=\"cam0\",stage=\"inference\",le=\"0.002\"} 0\n", text, StringComparison.Ordinal);
        var rss = text.Split('\n').Single(l => l.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
        Assert.True(double.Parse(rss.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 1_000_000);
    }

    [Fact]
    public async Task Snapshot_Offered_ReturnsTheJpegBytes()
    {
        await using var host = await RunningHost.StartAsync();
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9 };
        host.Get<SnapshotStore>().Offer("cam0", jpeg);

        using var response = await host.Http.GetAsync("/snapshot/cam0.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(jpeg, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Snapshot_Requested_WaitsForThePipelineToRenderOne()
    {
        await using var host = await RunningHost.StartAsync();
        var store = host.Get<SnapshotStore>();
        var jpeg = new byte[] { 0xFF, 0xD8, 9, 0xFF, 0xD9 };

        var request = host.Http.GetAsync("/snapshot/cam0.jpg");
        // The pipeline side: render only once someone asks.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!store.IsWanted("cam0"))
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }

        store.Offer("cam0", jpeg);
        using var response = await request;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(jpeg, await response.Content.ReadAsByteArrayAsync());
        Assert.False(store.IsWanted("cam0"));
    }

    [Theory]
    [InlineData("/snapshot/nope.jpg")]
    [InlineData("/snapshot/cam0.png")]
    [InlineData("/snapshot/..%2Fetc.jpg")]
    public async Task Snapshot_UnknownSourceOrName_Returns404WithoutListingTheSources(string path)
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.GetAsync(path);

        // An unauthenticated caller learns nothing from a 404: the body names no source id.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("cam0", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/readyz", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/metrics", HttpStatusCode.OK)]
    public async Task Endpoints_Head_AnswerAsGetWithoutABody(string path, HttpStatusCode expected)
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
