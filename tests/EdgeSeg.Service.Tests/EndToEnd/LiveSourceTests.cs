using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EdgeSeg.Mqtt;
using EdgeSeg.Pipeline.Tests.Support;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The real service (child process) on a live HTTP MPEG-TS stream served by the real ffmpeg tool: the stream dies and
/// comes back; the service reconnects on its own, says so on /readyz, and masks resume with indices still counting up.
/// </summary>
public sealed class LiveSourceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Run_LiveStreamDropsAndReturns_ReconnectsAndMasksResume()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new MessageCollector();
        await using var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "live-" + Guid.NewGuid().ToString("N")[..8],
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/live/cam0/mask")]);
        var clip = HttpTsServer.MakeClip(_dir.Path);
        var streamPort = FreePort();
        var httpPort = FreePort();
        var server = new HttpTsServer(clip, streamPort);
        using var service = Process.Start(EdgesegProcess.StartInfo(_dir.Path, "run",
            "--Device:Id=live", "--Sources:0:Id=cam0", $"--Sources:0:Uri={server.Url}",
            $"--Model:Path={TestRepo.Path("tests", "models", "bench-640x360.onnx")}", "--Model:Providers=cpu",
            "--Pipeline:ReconnectInitialSeconds=0.2", "--Pipeline:ReconnectMaxSeconds=1",
            $"--Mqtt:Port={broker.Port}", $"--Http:Urls=http://127.0.0.1:{httpPort}", $"--StateDirectory={Path.Combine(_dir.Path, "state")}"))!;
        var stdout = service.StandardOutput.ReadToEndAsync();
        var stderr = service.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        try
        {
            await collector.WaitForAsync(m => m.Count >= 5, Timeout);
            Assert.Equal("running", await SourceStateAsync(http));

            server.Dispose();
            await WaitForStateAsync(http, "reconnecting");
            var beforeReturn = collector.Messages.Count;

            server = new HttpTsServer(clip, streamPort);
            await WaitForStateAsync(http, "running");
            await collector.WaitForAsync(m => m.Count >= beforeReturn + 5, Timeout);
        }
        finally
        {
            server.Dispose();
            if (!service.HasExited)
            {
                // SIGTERM, as systemd stops it: the service drains and exits 0.
                using var term = Process.Start("kill", ["-TERM", service.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(Timeout);
            await service.WaitForExitAsync(cts.Token);
        }

        Assert.True(service.ExitCode == ExitCodes.Ok, $"exit {service.ExitCode}: {await stderr}");
        var indices = collector.Messages.Select(m => long.Parse(m.GetUserProperty("frame-index")!, CultureInfo.InvariantCulture)).ToList();
        Assert.True(indices.Zip(indices.Skip(1)).All(p => p.Second > p.First), "frame indices go on counting up across the reconnect: " + string.Join(",", indices));
        _ = await stdout;
    }

    private static async Task<string> SourceStateAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("sources")[0].GetProperty("state").GetString()!;
    }

    private static async Task WaitForStateAsync(HttpClient http, string state)
    {
        var clock = Stopwatch.StartNew();
        string last;
        while ((last = await SourceStateAsync(http)) != state)
        {
            Assert.True(clock.Elapsed < Timeout, $"the source stayed '{last}' for {Timeout.TotalSeconds} s; expected '{state}'");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
