using System.Diagnostics;
using System.Text.Json;
namespace EdgeSeg.TestSupport.Synthetic;

/// <summary>
/// A drive rendered by the trainer's <c>edgeseg-train synth --video</c> (a child process; about 5 s): its exact
/// per-frame masks and the sidecar's lane changes. Lives in a temporary folder deleted on dispose.
/// </summary>
public sealed class SyntheticDrive : IDisposable
{
    private readonly string _folder;

    private SyntheticDrive(string folder, int fps, IReadOnlyList<LaneChange> changes, int frames, CloseIn? closeIn, IReadOnlyList<double?> leadGaps)
    {
        _folder = folder;
        CloseInEpisode = closeIn;
        LeadGaps = leadGaps;
        Fps = fps;
        LaneChanges = changes;
        Frames = frames;
    }

    public int Fps { get; }

    public int Frames { get; }

    public IReadOnlyList<LaneChange> LaneChanges { get; }

    /// <summary>The close-in (with <c>closeInAt</c>), else null.</summary>
    public CloseIn? CloseInEpisode { get; }

    /// <summary>The gap in metres to the close-in's lead car per frame (null while there is none); empty without a close-in.</summary>
    public IReadOnlyList<double?> LeadGaps { get; }

    /// <summary>Renders the drive of <paramref name="seed"/>; with <paramref name="closeInAt"/>, a close-in from that second.</summary>
    public static async Task<SyntheticDrive> RenderAsync(int seed, double seconds, int fps, double? closeInAt = null)
    {
        var launcher = RepoPaths.InRepo("bin", "edgeseg-train");
        if (!File.Exists(launcher))
        {
            throw new FileNotFoundException($"{launcher} is missing: run 'make setup' to build the trainer the lane tests render drives with.", launcher);
        }

        var folder = Directory.CreateTempSubdirectory("edgeseg-drive-").FullName;
        var start = new ProcessStartInfo(launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var closeIn = closeInAt is { } at ? new[] { "--close-in", at.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [];
        foreach (var argument in new[]
        {
            "synth", "--video", Path.Combine(folder, "drive.mp4"), "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--fps", fps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", "640x360",
            "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(folder, "drive"),
        }.Concat(closeIn))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{launcher} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgeseg-train synth (seed {seed}) did not finish within 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"edgeseg-train synth (seed {seed}) exited with {process.ExitCode}: {await stdout}{await stderr}");
        }

        using var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "drive.json")));
        var root = sidecar.RootElement;
        var changes = root.GetProperty("lane_changes").EnumerateArray()
            .Select(c => new LaneChange(
                c.GetProperty("start_frame").GetInt32(),
                c.GetProperty("end_frame").GetInt32(),
                c.GetProperty("crossing_frame").GetInt32(),
                c.GetProperty("direction").GetString() == "left" ? -1 : 1))
            .ToArray();
        CloseIn? episode = root.TryGetProperty("close_in", out var c2)
            ? new CloseIn(c2.GetProperty("start_frame").GetInt32(), c2.GetProperty("closest_frame").GetInt32(), c2.GetProperty("end_frame").GetInt32(),
                c2.GetProperty("min_gap_m").GetDouble(), c2.GetProperty("closing_speed_mps").GetDouble())
            : null;
        double?[] gaps = root.TryGetProperty("lead_gap_m", out var g)
            ? [.. g.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? (double?)null : x.GetDouble())]
            : [];
        return new SyntheticDrive(folder, fps, changes, root.GetProperty("frames").GetInt32(), episode, gaps);
    }

    /// <summary>The H.264 clip.</summary>
    public string ClipPath => Path.Combine(_folder, "drive.mp4");

    /// <summary>The exact mask PNG of frame <paramref name="index"/> (appliance class indices, 8-bit gray).</summary>
    public string MaskPath(int index) => Path.Combine(_folder, "drive", "masks", $"{index:D6}.png");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The close-in: the lead car appears, is nearest, and is as far as it began again (frames); the smallest gap and the closing speed.</summary>
    public readonly record struct CloseIn(int StartFrame, int ClosestFrame, int EndFrame, double MinGapMetres, double ClosingSpeed);

    /// <summary>One lane change: its frames and its direction (-1 left, +1 right).</summary>
    public readonly record struct LaneChange(int StartFrame, int EndFrame, int CrossingFrame, int Direction);
}
