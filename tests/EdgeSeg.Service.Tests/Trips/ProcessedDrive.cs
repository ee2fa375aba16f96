using System.Text.Json;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Synthetic;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>
/// A synthetic drive with known lane changes and a close-in (<c>edgeseg-train synth --video --close-in</c>), processed
/// once by the real <c>edgeseg process</c> with <c>models/default.onnx</c> on the CPU; shared by the tests that read
/// the trip it wrote.
/// </summary>
public sealed class ProcessedDrive : IAsyncLifetime
{
    /// <summary>When the close-in begins (seconds), after the lane changes of the first part of the drive.</summary>
    public const double CloseInAt = 12;

    private readonly TempDirectory _dir = new();

    public SyntheticDrive Drive { get; private set; } = null!;

    public string Trip => Path.Combine(_dir.Path, "out", "drive");

    public string Output => Path.Combine(_dir.Path, "out");

    public string Stdout { get; private set; } = "";

    public DateTimeOffset Origin { get; private set; }

    public IReadOnlyList<JsonElement> Metrics { get; private set; } = [];

    public IReadOnlyList<JsonElement> Events { get; private set; } = [];

    public JsonElement Summary { get; private set; }

    public async Task InitializeAsync()
    {
        Drive = await SyntheticDrive.RenderAsync(seed: 3, seconds: 24, fps: 15, closeInAt: CloseInAt);
        Origin = new DateTimeOffset(File.GetLastWriteTimeUtc(Drive.ClipPath), TimeSpan.Zero);
        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_dir.Path, TimeSpan.FromMinutes(10), "process", "--input", Drive.ClipPath, "--out", Output,
            $"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Model:Providers=cpu", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stdout}{stderr}");
        Stdout = stdout;
        Metrics = [.. File.ReadLines(Path.Combine(Trip, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
        Events = [.. File.ReadLines(Path.Combine(Trip, "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
        Summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Trip, "summary.json"))).RootElement;
    }

    public Task DisposeAsync()
    {
        Drive?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
