using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;
using EdgeSeg.TestSupport.Synthetic;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The live page against the real service (a child process, a real mosquitto, real clips): the overlay is rendered
/// only while a page asks for it; clients that stop reading hold no frames; and the page itself, loaded in headless
/// Chromium, shows what /metrics says.
/// </summary>
public sealed class LivePageTests(ITestOutputHelper output) : IDisposable
{
    private const double ClipFps = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(300);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Run_NoPageOpen_RendersNoOverlayUntilOneIsAskedFor()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var service = await StartLoopingAsync(broker);
        const string Renders = "edgeseg_snapshot_renders_total{source=\"cam0\"}";
        const string Frames = "edgeseg_frames_completed_total{source=\"cam0\"}";

        // Nobody looks: frames go through, and not one overlay is blended or encoded for the page.
        await WaitForMetricAsync(service, Frames, v => v >= 30);
        var unseen = await PrometheusScrape.GetAsync(service.Http);
        Assert.Equal(0, unseen[Renders]);

        // A page asks (its overlay poll, three times): each answer is a render of a frame that came after the ask.
        for (var i = 0; i < 3; i++)
        {
            using var response = await service.Http.GetAsync(new Uri("/api/live/overlay/cam0.jpg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal((320, 240), SizeOf(await response.Content.ReadAsByteArrayAsync()));
        }

        var watched = await PrometheusScrape.GetAsync(service.Http);
        Assert.InRange(watched[Renders], 1, 3);

        // The page is gone (and the JSON and its stream never render): frames go on, the count stays.
        using (var json = await service.Http.GetAsync(new Uri("/api/live", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        }

        await WaitForMetricAsync(service, Frames, v => v >= watched[Frames] + 20);
        Assert.Equal(watched[Renders], (await PrometheusScrape.GetAsync(service.Http))[Renders]);
        Assert.Equal(ExitCodes.Ok, await service.StopAsync(Timeout));
    }

    [MosquittoFact]
    public async Task Run_ClientsStopReading_FramesKeepFlowingAtTheSameRateInBoundedMemory()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var service = await StartLoopingAsync(broker);
        const string Renders = "edgeseg_snapshot_renders_total{source=\"cam0\"}";
        const string Frames = "edgeseg_frames_completed_total{source=\"cam0\"}";
        const string Fps = "edgeseg_source_fps{source=\"cam0\"}";
        // The paced clip runs at its own rate, ClipFps (once past the start, where a slow first frame makes the next
        // ones catch up): that is the rate /metrics must keep showing.
        await WaitForMetricAsync(service, Frames, v => v >= 60);
        var before = await PrometheusScrape.GetAsync(service.Http);

        // Four update streams and one connection with 200 pipelined overlay requests, none of them ever read: their
        // receive windows fill and the server's writes to them stall.
        var stuck = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                stuck.Add(await StuckClientAsync(service.Port, "/api/live/stream", 1));
            }

            stuck.Add(await StuckClientAsync(service.Port, "/api/live/overlay/cam0.jpg", 200));
            await WaitForMetricAsync(service, Renders, v => v >= 1);

            // Frames keep flowing at the clip's rate while the clients hang; the server stops rendering for a client
            // it cannot write to (it loses updates) instead of queueing them.
            await WaitForMetricAsync(service, Frames, v => v >= before[Frames] + 40);
            var stalled = await PrometheusScrape.GetAsync(service.Http);
            await WaitForMetricAsync(service, Frames, v => v >= stalled[Frames] + 20);
            var after = await PrometheusScrape.GetAsync(service.Http);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fps {before[Fps]:0.00} -> {after[Fps]:0.00}; renders {stalled[Renders]} -> {after[Renders]}; rss {before["process_resident_memory_bytes"] / 1e6:0} -> {after["process_resident_memory_bytes"] / 1e6:0} MB; live streams {after["edgeseg_live_streams"]}, dropped {after["edgeseg_live_streams_dropped_total"]}"));
            Assert.InRange(after[Fps], ClipFps * 0.8, ClipFps * 1.2);
            Assert.Equal(stalled[Renders], after[Renders]);
            Assert.InRange(after["process_resident_memory_bytes"] - before["process_resident_memory_bytes"], -1e9, 64e6);
        }
        finally
        {
            stuck.ForEach(s => s.Dispose());
        }

        Assert.Equal(ExitCodes.Ok, await service.StopAsync(Timeout));
    }

    [ChromiumFact]
    public async Task Page_InDevToolsBrowser_ShowsEachSourceStateAndCoverageAsMetricsDoes()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (drive, rendered) = await SampleClipAsync();
        using var renderedDrive = rendered;
        // A second source: the sample's first three seconds, played once, so the page shows one running and one ended.
        var firstSeconds = Path.Combine(_dir.Path, "first-seconds.mp4");
        Ffmpeg.Run("-v", "error", "-y", "-i", drive, "-frames:v", "45", "-c:v", "libx264", "-pix_fmt", "yuv420p", firstSeconds);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, launcher: true,
            "--Device:Id=dashcam-07", "--Sources:0:Id=front", $"--Sources:0:Uri={drive}", "--Sources:0:Loop=true", "--Sources:0:Pace=true",
            "--Sources:1:Id=rear", $"--Sources:1:Uri={firstSeconds}", "--Sources:1:Pace=true",
            $"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        await service.WaitUntilAsync(async () => await StateAsync(service, "rear") == "ended" && await StateAsync(service, "front") == "running",
            Timeout, "front running and rear ended");

        await using var browser = await DevToolsBrowser.LaunchAsync(1440, 1000);
        await browser.NavigateAsync(new Uri($"http://127.0.0.1:{service.Port}/"));
        await browser.WaitUntilAsync("document.querySelectorAll('section.source[data-state]').length === 2"
            + " && document.querySelector('[data-source=front] img').naturalWidth > 0"
            + " && document.getElementById('mqtt').dataset.connected === 'true'", Timeout);

        // Each source's state, as the service reports it.
        Assert.Equal("running", (string?)await browser.EvaluateAsync("document.querySelector('[data-source=front]').dataset.state"));
        Assert.Equal("running", (string?)await browser.EvaluateAsync("document.querySelector('[data-source=front] .state').textContent"));
        Assert.Equal("ended", (string?)await browser.EvaluateAsync("document.querySelector('[data-source=rear] .state').textContent"));
        Assert.Equal("dashcam-07", (string?)await browser.EvaluateAsync("document.getElementById('device').textContent"));

        // The ended source's coverage no longer changes once its last frame is through (on a slow machine, frames are
        // still in flight when the file ends): the page shows exactly what /metrics says, within a second.
        await service.WaitUntilAsync(async () =>
        {
            var scrape = await PrometheusScrape.GetAsync(service.Http);
            return scrape.ValueOr("edgeseg_frames_completed_total{source=\"rear\"}", 0) == scrape["edgeseg_source_frames_total{source=\"rear\"}"];
        }, Timeout, "the rear source's last frame to be published");
        var rearMetric = (await PrometheusScrape.GetAsync(service.Http))["edgeseg_class_coverage_ratio{source=\"rear\",class=\"road\"}"];
        var rearCell = "document.querySelector('[data-source=rear] .value[data-class=road]')";
        await browser.WaitUntilAsync(string.Create(CultureInfo.InvariantCulture, $"Math.abs(Number({rearCell}.dataset.value) - {rearMetric:R}) <= 1e-6"), TimeSpan.FromSeconds(1));
        var (rearValue, rearText) = await CoverageAsync(browser, "rear", "road");
        Assert.Equal(rearMetric, rearValue, 6);
        // Shown as a percentage to one decimal.
        Assert.Matches(@"^\d{1,3}\.\d %$", rearText);
        Assert.InRange(double.Parse(rearText[..^2], CultureInfo.InvariantCulture), (rearMetric * 100) - 0.05 - 1e-9, (rearMetric * 100) + 0.05 + 1e-9);

        // The running source changes every frame: the value the page shows is one /metrics showed within the second
        // before the page was read (sampled every 20 ms; a frame lasts 67 ms).
        await AssertRunningCoverageMatchesMetricsAsync(service, browser);

        // The overlay is live: the page shows a newer render of the running source after a while.
        var shown = (string?)await browser.EvaluateAsync("document.querySelector('[data-source=front] img').src");
        await browser.WaitUntilAsync($"document.querySelector('[data-source=front] img').src !== '{shown}'"
            + " && document.querySelector('[data-source=front] img').naturalWidth > 0", Timeout);

        var screenshot = TestRepo.Path("TestResults", "live-page", "live-page.png");
        await browser.ScreenshotAsync(screenshot);
        output.WriteLine($"screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // The same page on a phone held by the installer: one column.
        await browser.ResizeAsync(412, 915, mobile: true);
        var phone = TestRepo.Path("TestResults", "live-page", "live-page-phone.png");
        await browser.ScreenshotAsync(phone);
        output.WriteLine($"screenshot: {phone}");
        Assert.Equal(412, (int)(await browser.EvaluateAsync("document.documentElement.scrollWidth"))!);
        Assert.Empty(browser.Errors);

        // An open page does not hold up a stop.
        Assert.Equal(ExitCodes.Ok, await service.StopAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task AssertRunningCoverageMatchesMetricsAsync(ServiceProcess service, DevToolsBrowser browser)
    {
        const string Series = "edgeseg_class_coverage_ratio{source=\"front\",class=\"road\"}";
        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var seen = new List<(TimeSpan At, double Value)>();
            var clock = Stopwatch.StartNew();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    var value = (await PrometheusScrape.GetAsync(service.Http))[Series];
                    lock (seen)
                    {
                        seen.Add((clock.Elapsed, value));
                    }

                    await Task.Delay(20);
                }
            });
            await WaitForAsync(() => clock.Elapsed > TimeSpan.FromSeconds(1.2));
            var readAt = clock.Elapsed;
            var (shown, _) = await CoverageAsync(browser, "front", "road");
            await sampling.CancelAsync();
            await sampler;
            List<double> window;
            lock (seen)
            {
                window = [.. seen.Where(s => s.At >= readAt - TimeSpan.FromSeconds(1) && s.At <= clock.Elapsed).Select(s => s.Value)];
            }

            if (window.Any(v => Math.Abs(v - shown) <= 1e-6))
            {
                return;
            }

            failures.Add(string.Create(CultureInfo.InvariantCulture, $"page {shown}, /metrics {string.Join(", ", window.Distinct())}"));
        }

        Assert.Fail("the running source's coverage on the page was never one /metrics showed within the second: " + string.Join(" | ", failures));
    }

    private static async Task<(double Value, string Text)> CoverageAsync(DevToolsBrowser browser, string source, string cls)
    {
        var cell = $"document.querySelector('[data-source={source}] .value[data-class={cls}]')";
        var value = (string)(await browser.EvaluateAsync(cell + ".dataset.value"))!;
        var text = (string)(await browser.EvaluateAsync(cell + ".textContent"))!;
        return (double.Parse(value, CultureInfo.InvariantCulture), text);
    }

    private async Task<ServiceProcess> StartLoopingAsync(MosquittoBroker broker)
    {
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 320, 240, 50); // ClipFps frames a second
        return await ServiceProcess.StartAsync(_dir.Path, launcher: false,
            "--Device:Id=live", "--Sources:0:Id=cam0", $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true",
            $"--Model:Path={TestRepo.Path("tests", "models", "bench-640x360.onnx")}", "--Model:Providers=cpu",
            $"--Mqtt:Port={broker.Port}", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
    }

    /// <summary>The bundled sample (samples/drive.mp4, made by set-up), or the same drive rendered now when it is absent.</summary>
    private static async Task<(string Path, SyntheticDrive? Rendered)> SampleClipAsync()
    {
        var sample = TestRepo.Path("samples", "drive.mp4");
        if (File.Exists(sample))
        {
            return (sample, null);
        }

        var drive = await SyntheticDrive.RenderAsync(seed: 1, seconds: 20, fps: 15);
        return (drive.ClipPath, drive);
    }

    private static async Task<Socket> StuckClientAsync(int port, string path, int requests)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", requests)));
        await socket.SendAsync(request);
        return socket;
    }

    private static async Task<string?> StateAsync(ServiceProcess service, string source)
    {
        using var doc = JsonDocument.Parse(await service.Http.GetStringAsync(new Uri("/api/live", UriKind.Relative)));
        return doc.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("id").GetString() == source).GetProperty("state").GetString();
    }

    private static Task WaitForMetricAsync(ServiceProcess service, string series, Func<double, bool> condition) =>
        service.WaitUntilAsync(async () => condition((await PrometheusScrape.GetAsync(service.Http)).ValueOr(series, 0)), Timeout, $"{series} to move on");

    private static async Task WaitForAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(20);
        }
    }

    private static (int Width, int Height) SizeOf(byte[] jpeg)
    {
        var image = CvImage.Decode(jpeg, ImageReadMode.Color);
        return (image.Width, image.Height);
    }
}
