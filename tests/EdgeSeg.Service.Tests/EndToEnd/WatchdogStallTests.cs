using System.Globalization;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Hosting;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The whole appliance in-process (real host, model, clip, broker and a real unix notification socket for systemd),
/// with one extra frame sink that can be made to hang, as a stuck publisher would: WATCHDOG=1 flows while frames
/// complete, stops while the pipeline is stuck (so systemd would restart the service), and resumes when it moves again.
/// </summary>
public sealed class WatchdogStallTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Watchdog_PipelineStalls_NotFedUntilFramesMoveAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 20);
        using var socket = new NotifySocket();
        var environment = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "400000",
        };
        var gate = new GateSink();
        await using var host = await RunningHost.StartAsync(
            name => environment.GetValueOrDefault(name),
            services =>
            {
                ApplianceRegistration.AddAppliance(services, new RunMode(ExitWhenDone: false, Summary: false));
                services.AddSingleton<IFrameSink>(gate);
            },
            $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true", "--Sources:0:Fps=25",
            $"--Model:Path={TestRepo.Path("tests", "models", "bench-640x360.onnx")}", "--Model:Providers=cpu",
            string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={broker.Port}"), $"--StateDirectory={Path.Combine(_dir.Path, "state")}");

        // Frames move: the watchdog is fed (every 0.2 s, half of WATCHDOG_USEC).
        await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);

        // Stuck: once a frame is held in the sink, at most the tick in progress may still see earlier frames complete.
        gate.Close();
        await gate.Holding.WaitAsync(Timeout);
        var ticks = await TicksAsync(socket, 8);
        Assert.All(ticks.Skip(2), t => Assert.False(t.Fed, "the watchdog was fed while no frame could complete"));

        // Moving again: fed again.
        gate.Open();
        await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);
    }

    /// <summary>The next <paramref name="count"/> watchdog ticks: each sends STATUS=, then WATCHDOG=1 when it feeds.</summary>
    private static async Task<List<(string Status, bool Fed)>> TicksAsync(NotifySocket socket, int count)
    {
        var ticks = new List<(string Status, bool Fed)>();
        while (ticks.Count < count + 1)
        {
            var message = await socket.ReceiveAsync(Timeout);
            if (message.StartsWith("STATUS=", StringComparison.Ordinal))
            {
                ticks.Add((message, false));
            }
            else if (message == "WATCHDOG=1" && ticks.Count > 0)
            {
                ticks[^1] = (ticks[^1].Status, true);
            }
        }

        // The last STATUS= may still be followed by its WATCHDOG=1: leave it out.
        return ticks[..count];
    }

    /// <summary>A frame sink that holds frames while closed, like a publisher stuck on a dead socket.</summary>
    private sealed class GateSink : IFrameSink
    {
        private volatile TaskCompletionSource _open = Completed();
        private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a frame is being held.</summary>
        public Task Holding => _holding.Task;

        public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public async ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            var open = _open;
            if (!open.Task.IsCompleted)
            {
                _holding.TrySetResult();
                await open.Task.WaitAsync(cancellationToken);
            }
        }

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }
}
