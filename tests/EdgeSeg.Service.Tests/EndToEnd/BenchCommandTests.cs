using System.Text.Json;
using EdgeSeg.Service.Bench;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// `edgeseg bench` as a child process: a real model, a real clip and the mosquitto the bench starts for itself. Checks
/// what the run reports, not how fast this machine is.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model => TestRepo.Path("tests", "models", "bench-640x360.onnx");

    [MosquittoFact]
    public async Task Bench_SmallRun_ReportsEveryPhaseConsistently()
    {
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 8);
        var json = Path.Combine(_dir.Path, "bench.json");

        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "bench", "--model", Model, "--input", clip, "--providers", "cpu",
            "--threads", "1", "--frames", "12", "--warm-up", "2", "--run-iterations", "3", "--latency-frames", "3", "--latency-fps", "20", "--json", json);

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("service / Run-only", stdout, StringComparison.Ordinal);
        var r = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal((160, 120, "cpu", 1), (r.GetProperty("frameWidth").GetInt32(), r.GetProperty("frameHeight").GetInt32(), r.GetProperty("provider").GetString(), r.GetProperty("threads").GetInt32()));
        Assert.Equal(1000 / r.GetProperty("runMilliseconds").GetDouble(), r.GetProperty("runOnlyFps").GetDouble(), 9);
        Assert.Equal(r.GetProperty("serviceFps").GetDouble() / r.GetProperty("runOnlyFps").GetDouble(), r.GetProperty("throughputRatio").GetDouble(), 9);
        Assert.True(r.GetProperty("segmentMilliseconds").GetDouble() >= r.GetProperty("runMilliseconds").GetDouble());
        Assert.Equal(r.GetProperty("serviceFps").GetDouble() * r.GetProperty("segmentMilliseconds").GetDouble() / 1000, r.GetProperty("stageRatio").GetDouble(), 9);
        AssertLatency(r.GetProperty("latencyUnpacedMs"), 12);
        AssertLatency(r.GetProperty("latencyPacedMs"), 3);
        Assert.Equal(r.GetProperty("latencyPacedMs").GetProperty("p99").GetDouble() / r.GetProperty("runMilliseconds").GetDouble(), r.GetProperty("pacedP99OverRun").GetDouble(), 9);
    }

    [Fact]
    public async Task Bench_MissingInput_ExitsInvalidConfigurationNamingIt()
    {
        var missing = Path.Combine(_dir.Path, "nope.mp4");

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "bench", "--model", Model, "--input", missing);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains($"--input '{missing}' does not exist", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:1883", "127.0.0.1", 1883)]
    [InlineData("broker.local:8883", "broker.local", 8883)]
    public void ParseBroker_HostPort(string text, string host, int port) => Assert.Equal((host, port), BenchRunner.ParseBroker(text));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("host:0")]
    [InlineData(":1883")]
    public void ParseBroker_NotHostPort_SaysSo(string text) =>
        Assert.Equal($"--mqtt '{text}' is not host:port (e.g. 127.0.0.1:1883)", Assert.Throws<BenchException>(() => BenchRunner.ParseBroker(text)).Message);

    [Fact]
    public void Percentiles_NearestRank()
    {
        var p = Percentiles.Of([.. Enumerable.Range(1, 200).Select(i => (double)i)]);

        Assert.Equal(new Percentiles(100, 190, 198, 200, 200), p);
    }

    private static void AssertLatency(JsonElement latency, int frames)
    {
        var (p50, p95, p99, max) = (latency.GetProperty("p50").GetDouble(), latency.GetProperty("p95").GetDouble(), latency.GetProperty("p99").GetDouble(), latency.GetProperty("max").GetDouble());
        Assert.Equal(frames, latency.GetProperty("frames").GetInt32());
        Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, $"p50 {p50}, p95 {p95}, p99 {p99}, max {max}");
    }
}
