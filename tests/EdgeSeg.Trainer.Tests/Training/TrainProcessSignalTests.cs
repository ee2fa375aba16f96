using System.Diagnostics;
using System.Text.Json;
using EdgeSeg.Trainer.Tests.Datasets;

namespace EdgeSeg.Trainer.Tests.Training;

/// <summary>
/// The real <c>edgeseg-train</c> process stopped with SIGTERM, as <c>kill</c> or <c>systemctl stop</c> do (a job started
/// in the background with <c>&amp;</c> or <c>nohup</c> ignores SIGINT, so SIGTERM is how such a run is stopped).
/// </summary>
public sealed class TrainProcessSignalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-trainsig-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Train_Sigterm_SavesCheckpointAndExits130ThenResumes()
    {
        using var data = new TestDataset(sourceClasses: 4, ignoreLabel: null);
        var stems = Enumerable.Range(0, 4).Select(i => $"s{i}").ToArray();
        foreach (var (stem, i) in stems.Select((s, i) => (s, i)))
        {
            data.AddSample(stem, 64, 48, (x, y) => (byte)(y > 24 + i ? 1 : x > 30 + (3 * i) ? 2 : 0));
        }

        data.WriteSplit("train", stems);
        data.WriteSplit("val", stems[..2]);
        var output = Path.Combine(_dir, "sig.onnx");
        string[] arguments =
        [
            "train", "--data", data.Directory, "--val", data.Directory, "--out", output, "--size", "64x48", "--depth", "2", "--width", "4",
            "--batch", "2", "--epoch-size", "4", "--threads", "1", "--seed", "5",
        ];

        // A schedule far longer than the test: SIGTERM after the first epoch's line.
        var (code, text) = await RunUntil([.. arguments, "--epochs", "100000"], "epoch 1/100000:", terminate: true);

        Assert.True(code == 130, text);
        Assert.Contains("Interrupted.", text, StringComparison.Ordinal);
        var checkpoints = Path.Combine(_dir, "sig.checkpoints");
        Assert.True(File.Exists(Path.Combine(checkpoints, "last.safetensors")), text);
        using var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoints, "history.json")));
        var epoch = history.RootElement[history.RootElement.GetArrayLength() - 1].GetProperty("epoch").GetInt32();
        Assert.InRange(epoch, 1, 100_000);
        Assert.False(File.Exists(output));

        // The checkpoint resumes: a schedule ending at the next epoch finishes and exports.
        var (resumed, resumedText) = await RunUntil([.. arguments, "--epochs", (epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--resume"], null, terminate: false);
        Assert.True(resumed == 0, resumedText);
        Assert.Contains($"Resuming after epoch {epoch} from", resumedText, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    private static async Task<(int Code, string Output)> RunUntil(string[] arguments, string? marker, bool terminate)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgeseg-train"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var text = new System.Text.StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (text)
            {
                text.AppendLine(e.Data);
            }

            if (marker is not null && e.Data.Contains(marker, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            if (terminate)
            {
                await seen.Task.WaitAsync(timeout.Token);
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (text)
            {
                Assert.Fail($"edgeseg-train {string.Join(' ', arguments)} did not finish in time:\n{text}");
            }
        }

        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}
