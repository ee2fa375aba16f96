using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>
/// <c>edgeseg process</c> as a real child process on real H.264 clips (ffmpeg's test pattern): a bad file among good
/// ones, a run killed in the middle of a file and run again, and re-runs with and without <c>--force</c>.
/// </summary>
public sealed class ProcessResilienceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => Path.Combine(_dir.Path, "out");

    private string In => Directory.CreateDirectory(Path.Combine(_dir.Path, "in")).FullName;

    private string[] Model => [$"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Model:Providers=cpu", $"--StateDirectory={Path.Combine(_dir.Path, "state")}"];

    [Fact]
    public async Task Process_BadFileAmongGoodOnesWithMasksAndOverlayVideo_GoodTripsWrittenBadOneListedWithItsReasonExitCodeFour()
    {
        var first = await TestClips.MakeAsync(Path.Combine(In, "first.mp4"), 160, 96, 8);
        await TestClips.MakeAsync(Path.Combine(In, "second.mp4"), 160, 96, 6);
        var bad = _dir.Write(Path.Combine("in", "broken.mp4"), "this is not a video");
        var missing = Path.Combine(_dir.Path, "nowhere.mp4");

        // All three files in one pipeline (--parallel 3): the one that cannot be opened does not spoil the others.
        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, ["process", "--input", Path.Combine(_dir.Path, "in"), missing, "--out", Out, "--save-masks", "--overlay-video", "--parallel", "3", .. Model]);
        output.WriteLine(stdout + stderr);

        Assert.Equal(ExitCodes.SourceUnavailable, code);
        Assert.Contains("3 file(s), 3 at a time", stdout, StringComparison.Ordinal);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(Out, "first", "metrics.jsonl")).Length);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(Out, "second", "metrics.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(Out, "second", "report.html")));
        Assert.Equal(["first", "second"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The final table: one row per input, the bad ones with why.
        Assert.Matches(@"broken\.mp4\s*│\s*failed\s*│", stdout);
        Assert.Matches(@"nowhere\.mp4\s*│\s*failed\s*│", stdout);
        Assert.Contains($"process: {bad}: Source 'broken' ({bad}): not a readable video file", stderr, StringComparison.Ordinal);
        Assert.Contains($"process: {missing}: does not exist ({missing})", stderr, StringComparison.Ordinal);
        Assert.Matches(@"first\.mp4\s*│\s*done\s*│\s*8\s*│", stdout);
        Assert.Contains("process: 2 input(s) failed; the others were processed", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(first));

        // --save-masks: every frame's class-index mask at the frame's size; --overlay-video: every frame, readable.
        var masks = Directory.GetFiles(Path.Combine(Out, "first", "masks")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i:D6}.png"), masks.Select(Path.GetFileName));
        var mask = CvImage.Read(masks[^1], ImageReadMode.Unchanged);
        Assert.Equal((160, 96, 1), (mask.Width, mask.Height, mask.Channels));
        Assert.All(mask.Pixels.ToArray(), p => Assert.InRange(p, 0, 4));
        using var overlay = VideoCapture.Open(Path.Combine(Out, "first", "overlay.mp4"));
        Assert.Equal((160, 96), (overlay.Width, overlay.Height));
        var frame = new ImageBuffer(160, 96, 3);
        var frames = 0;
        while (overlay.Read(frame))
        {
            frames++;
        }

        Assert.Equal(8, frames);
    }

    [Fact]
    public async Task Process_KilledInTheMiddleOfAFile_RerunKeepsTheFinishedTripAndRedoesTheOther()
    {
        // Longest first: "long" is processed, then "short"; the run is killed while "short" is half-written.
        await TestClips.MakeAsync(Path.Combine(In, "long.mp4"), 640, 360, 60);
        await TestClips.MakeAsync(Path.Combine(In, "short.mp4"), 640, 360, 50);
        string[] args = ["process", "--input", Path.Combine(_dir.Path, "in"), "--out", Out, "--parallel", "1", "--Model:IntraOpThreads=1", .. Model];
        var partial = Path.Combine(Out, ".short.partial", "metrics.jsonl");

        using (var run = Process.Start(EdgesegProcess.StartInfo(_dir.Path, args))!)
        {
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (!(File.Exists(partial) && new FileInfo(partial).Length > 0) && !run.HasExited && watch.Elapsed < Timeout)
            {
                await Task.Delay(20);
            }

            Assert.False(run.HasExited, "process ended before it could be killed in the middle of the second file");
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
        }

        // Killed: the first trip is complete and in place, the second only partial and not where a finished trip goes.
        var longSummary = Path.Combine(Out, "long", "summary.json");
        Assert.True(File.Exists(longSummary));
        Assert.False(Directory.Exists(Path.Combine(Out, "short")));
        Assert.True(Directory.Exists(Path.Combine(Out, ".short.partial")));
        var finishedAt = File.GetLastWriteTimeUtc(longSummary);

        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, args);
        output.WriteLine(stdout + stderr);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"long\.mp4\s*│\s*skipped\s*│.*--force redoes it", stdout);
        Assert.Matches(@"short\.mp4\s*│\s*done\s*│\s*50\s*│", stdout);
        Assert.Equal(finishedAt, File.GetLastWriteTimeUtc(longSummary));
        Assert.Equal(50, File.ReadAllLines(Path.Combine(Out, "short", "metrics.jsonl")).Length);
        Assert.Equal(["long", "short"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // --force redoes a finished trip; the bytes are the same (the file's own time, the same model and frames).
        var before = await File.ReadAllBytesAsync(Path.Combine(Out, "short", "metrics.jsonl"));
        var (forced, forcedOut, forcedErr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, ["process", "--input", Path.Combine(_dir.Path, "in", "short.mp4"), "--out", Out, "--force", "--Model:IntraOpThreads=1", .. Model]);
        Assert.True(forced == ExitCodes.Ok, forcedOut + forcedErr);
        Assert.Matches(@"short\.mp4\s*│\s*done\s*│", forcedOut);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(Out, "short", "metrics.jsonl")));
    }

    [Fact]
    public async Task Process_BrokenReportSettings_ExitCodeTwoNamingEachKeyAndNothingWritten()
    {
        var clip = await TestClips.MakeAsync(Path.Combine(In, "clip.mp4"), 160, 96, 4);

        var (code, stdout, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, ["process", "--input", clip, "--out", Out,
            "--Report:Score:LaneDepartures=2", "--Report:WarningTimeToContactSeconds=1", "--Reprot:CriticalTimeToContactSeconds=1", .. Model]);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains("Report:Score:LaneDepartures = '2': is not a setting", stderr, StringComparison.Ordinal);
        Assert.Contains("Report:WarningTimeToContactSeconds = '1': must be at least Report:CriticalTimeToContactSeconds (1.5)", stderr, StringComparison.Ordinal);
        Assert.Contains("Reprot", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out), stdout);
    }
}
