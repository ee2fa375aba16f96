using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.LivePage;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSeg.Service.Tests.LivePage;

/// <summary>The live page's endpoints on the real host (Kestrel on a loopback port), fed through the same objects the pipeline feeds.</summary>
public sealed partial class LivePageEndpointsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Page_Get_ServesTheEmbeddedPageWithEverythingInline()
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<title>EdgeSeg live</title>", html, StringComparison.Ordinal);
        // Nothing is loaded from anywhere else: every src/href is this server's own path, a fragment or data:.
        var references = ReferenceRegex().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.All(references, r => Assert.True((r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal)) || r.StartsWith("data:", StringComparison.Ordinal), r));
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        // The policy allows exactly the page's own inline script, by hash, and nothing from elsewhere.
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var script = html[(html.IndexOf("<script>", StringComparison.Ordinal) + 8)..html.IndexOf("</script>", StringComparison.Ordinal)];
        Assert.Contains($"script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/live")]
    [InlineData("/api/live/stream")]
    [InlineData("/api/live/overlay/cam0.jpg")]
    public async Task LiveEndpoints_Post_Return405AndChangeNothing(string path)
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(host.Get<SnapshotStore>().IsWanted("cam0"));
    }

    [Fact]
    public async Task Live_BeforeTheFirstFrame_SourceStartingWithNoScene()
    {
        await using var host = await RunningHost.StartAsync();

        using var doc = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/api/live", UriKind.Relative)));
        var root = doc.RootElement;

        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("box-1", root.GetProperty("device").GetString());
        Assert.False(root.GetProperty("model").GetProperty("loaded").GetBoolean());
        Assert.False(root.GetProperty("mqtt").GetProperty("connected").GetBoolean());
        Assert.Equal("127.0.0.1:1883", root.GetProperty("mqtt").GetProperty("broker").GetString());
        Assert.True(root.GetProperty("uptimeS").GetDouble() > 0);
        var source = Assert.Single(root.GetProperty("sources").EnumerateArray());
        Assert.Equal("cam0", source.GetProperty("id").GetString());
        Assert.Equal("starting", source.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("scene").ValueKind);
        Assert.Equal(JsonValueKind.Null, source.GetProperty("latencyMs").ValueKind);
        Assert.Equal("/api/live/overlay/cam0.jpg", source.GetProperty("overlay").GetString());
        Assert.Empty(source.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Live_AfterAFrame_DocumentCarriesItsFiguresStateAndEvents()
    {
        await using var host = await RunningHost.StartAsync();
        var health = host.Get<ServiceHealth>();
        health.SetModel("road-unet", "cpu");
        health.SetBroker(connected: true);
        health.SetSource("cam0", Service.Health.SourceState.Running);
        health.SetFps("cam0", 14.96);
        var departure = Guid.CreateVersion7();
        var close = Guid.CreateVersion7();
        var live = host.Get<LiveState>().Find("cam0")!;
        live.Update(Figures(frame: 41), 0.050, [new SceneEvent(departure, SceneEventType.LaneDeparture, SceneEventPhase.Start, T0, T0.AddSeconds(0.5), null, 0.31, 0.31, null)]);
        live.Update(Figures(frame: 42), 0.040, [
            new SceneEvent(departure, SceneEventType.LaneDeparture, SceneEventPhase.End, T0, T0.AddSeconds(3), T0.AddSeconds(2), 0.1, 0.44, null),
            new SceneEvent(close, SceneEventType.VehicleClose, SceneEventPhase.Start, T0.AddSeconds(2.5), T0.AddSeconds(3), null, 0.8, 0.8, 1.5)]);

        using var doc = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/api/live", UriKind.Relative)));
        var root = doc.RootElement;
        var source = root.GetProperty("sources")[0];
        var scene = source.GetProperty("scene");

        Assert.Equal("road-unet", root.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("cpu", root.GetProperty("model").GetProperty("provider").GetString());
        Assert.True(root.GetProperty("mqtt").GetProperty("connected").GetBoolean());
        Assert.Equal("running", source.GetProperty("state").GetString());
        Assert.Equal(14.96, source.GetProperty("fps").GetDouble());
        Assert.Equal(40, source.GetProperty("latencyMs").GetProperty("last").GetDouble());
        Assert.Equal(49, source.GetProperty("latencyMs").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(42, scene.GetProperty("frame").GetInt64());
        Assert.Equal(0.25, scene.GetProperty("coverage").GetProperty("road").GetDouble());
        Assert.Equal(0.125, scene.GetProperty("coverage").GetProperty("laneMarking").GetDouble());
        Assert.Equal(0.5, scene.GetProperty("coverage").GetProperty("background").GetDouble());
        Assert.Equal(0.9, scene.GetProperty("corridor").GetProperty("drivableFraction").GetDouble());
        Assert.Equal("found", scene.GetProperty("lane").GetProperty("status").GetString());
        Assert.Equal(-0.12, scene.GetProperty("lane").GetProperty("offset").GetDouble());
        Assert.Equal(0.6, scene.GetProperty("nearestVehicle").GetProperty("proximity").GetDouble());
        Assert.Equal(2, scene.GetProperty("nearestVehicle").GetProperty("timeToContactS").GetDouble());
        Assert.Equal(JsonValueKind.Null, scene.GetProperty("nearestVehicle").GetProperty("distanceM").ValueKind);
        Assert.Equal(JsonValueKind.Null, scene.GetProperty("nearestPedestrian").ValueKind);

        // Newest first; the departure's start and end fold into one entry that has ended.
        var events = source.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(("vehicle_close", true, 1.5), (events[0].GetProperty("type").GetString(), events[0].GetProperty("active").GetBoolean(), events[0].GetProperty("timeToContactS").GetDouble()));
        Assert.Equal(departure.ToString(), events[1].GetProperty("id").GetString());
        Assert.False(events[1].GetProperty("active").GetBoolean());
        Assert.Equal(T0.AddSeconds(2), events[1].GetProperty("end").GetDateTimeOffset());
        Assert.Equal(2, events[1].GetProperty("durationS").GetDouble());
        Assert.Equal(0.44, events[1].GetProperty("peak").GetDouble());
    }

    [Fact]
    public async Task Stream_Opened_SendsTheDocumentAsServerSentEventsAndCountsTheStream()
    {
        await using var host = await RunningHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/live/stream", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using (var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var documents = new List<JsonElement>();
            while (documents.Count < 2)
            {
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new EndOfStreamException("the stream ended");
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    documents.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }

            Assert.All(documents, d => Assert.Equal("box-1", d.GetProperty("device").GetString()));
            Assert.True(documents[1].GetProperty("time").GetDateTimeOffset() > documents[0].GetProperty("time").GetDateTimeOffset());
            Assert.Equal(1, (await PrometheusScrape.GetAsync(host.Http))["edgeseg_live_streams"]);
        }

        // The client closed it: the server notices on its next write and stops counting it.
        await WaitForAsync(async () => (await PrometheusScrape.GetAsync(host.Http))["edgeseg_live_streams"] == 0, "the stream to be counted closed");
        Assert.Equal(0, host.Get<LiveState>().Streams);
    }

    [Fact]
    public async Task Stream_ClientStopsReading_ClosedAfterTheWriteTimeoutAndCounted()
    {
        // Updates every 2 ms fill a non-reading client's windows and Kestrel's 64 KB response buffer within seconds.
        var options = new LiveStreamOptions { Interval = TimeSpan.FromMilliseconds(2), WriteTimeout = TimeSpan.FromSeconds(1) };
        await using var host = await RunningHost.StartAsync(null, services => services.AddSingleton(options));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Http.BaseAddress!.Port));
        await client.SendAsync("GET /api/live/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());

        await WaitForAsync(async () => (await PrometheusScrape.GetAsync(host.Http))["edgeseg_live_streams_dropped_total"] == 1, "the stuck stream to be closed");
        await WaitForAsync(async () => (await PrometheusScrape.GetAsync(host.Http))["edgeseg_live_streams"] == 0, "the closed stream to be uncounted");

        Assert.Equal(0, host.Get<LiveState>().Streams);
        Assert.Equal(1, (await PrometheusScrape.GetAsync(host.Http))["edgeseg_live_streams_dropped_total"]);
    }

    [Fact]
    public async Task Stream_MoreThanTheCap_RefusedWith503()
    {
        await using var host = await RunningHost.StartAsync();
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < LiveState.MaxStreams; i++)
            {
                var ok = await host.Http.GetAsync(new Uri("/api/live/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                open.Add(ok);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using var refused = await host.Http.GetAsync(new Uri("/api/live/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("/api/live", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Theory]
    [InlineData("/api/live/overlay/nope.jpg")]
    [InlineData("/api/live/overlay/cam0.png")]
    [InlineData("/api/live/overlay/..%2Fcam0.jpg")]
    public async Task Overlay_UnknownSourceOrName_Returns404NamingTheSources(string path)
    {
        await using var host = await RunningHost.StartAsync();

        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("cam0", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlay_Requested_RendersTheNextCapturedFrameOnceAndCountsIt()
    {
        await using var host = await RunningHost.StartAsync();
        var store = host.Get<SnapshotStore>();
        var frame = new ImageBuffer(320, 240, 3);
        frame.Pixels.Fill(200);
        var mask = new Mask(320, 240);
        mask.Pixels[(240 * 320 / 2)..].Fill(1);
        // The service loads OpenCV at start-up (its sources need it); this host has no source: load it before the clock runs.
        _ = CvImage.Encode(frame, ImageFormat.Jpeg, 85);

        // Nobody asks: frames go by, nothing is rendered, and checking costs nothing.
        Assert.False(store.Capture("cam0", frame, mask, 85));
        Assert.Equal(0, Allocations.QuietestRound(() => store.Capture("cam0", frame, mask, 85), callsPerRound: 1000));
        var request = host.Http.GetAsync(new Uri("/api/live/overlay/cam0.jpg", UriKind.Relative));
        await WaitForAsync(() => Task.FromResult(store.IsWanted("cam0")), "the request to ask for a render");
        Assert.True(store.Capture("cam0", frame, mask, 85));
        frame.Pixels.Clear(); // the store copied the frame: the pipeline may reuse its buffer at once
        using var response = await request;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        var jpeg = CvImage.Decode(await response.Content.ReadAsByteArrayAsync(), ImageReadMode.Color);
        Assert.Equal((320, 240), (jpeg.Width, jpeg.Height));
        // Half the grey frame (the store's copy, not the cleared buffer) and half the class colour: black above,
        // road (#804080, BGR 128 64 128) below. JPEG moves a flat area's values by a few levels at most.
        Assert.All(jpeg.Row(10).Slice(300 * 3, 3).ToArray(), b => Assert.InRange(b, 95, 105));
        var road = jpeg.Row(230).Slice(300 * 3, 3).ToArray();
        Assert.InRange(road[0], 159, 169);
        Assert.InRange(road[1], 127, 137);
        Assert.InRange(road[2], 159, 169);
        Assert.Equal(1, (await PrometheusScrape.GetAsync(host.Http))["edgeseg_snapshot_renders_total{source=\"cam0\"}"]);
        Assert.False(store.Capture("cam0", frame, mask, 85));
    }

    private static SceneFigures Figures(long frame)
    {
        var frameCoverage = new ClassCoverage(Background: 400, Road: 200, Vehicle: 80, Pedestrian: 20, LaneMarking: 100);
        var corridor = new CorridorMetrics(new ClassCoverage(5, 80, 5, 0, 10), VehiclePresent: true, PedestrianPresent: false);
        var vehicle = new ProximityMetrics(true, 0, 0.6, null, 0.3, 2.0);
        var lane = new LaneMetrics(LaneStatus.Found, LaneBoundary.None, LaneBoundary.None, -0.12, 500, 0.55);
        return new SceneFigures(frame, T0.AddSeconds(frame / 15.0), 40, 20, frameCoverage, corridor, vehicle, ProximityMetrics.None, lane, new QualityMetrics(0.9, 0.375));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [GeneratedRegex("(?:src|href)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceRegex();
}
