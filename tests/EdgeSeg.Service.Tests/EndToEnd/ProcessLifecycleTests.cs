using System.Diagnostics;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The real service process through <c>bin/edgeseg</c> (the launcher systemd and <c>make run</c> use): exit codes of the
/// command line and of start-up failures, and what each signal does at each stage of the process's life.
/// </summary>
public sealed class ProcessLifecycleTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model => TestRepo.Path("tests", "models", "bench-640x360.onnx");

    [Theory]
    [InlineData("frobnicate", "--help")]
    [InlineData("frobnicate")]
    [InlineData("procss", "--help")]
    public async Task Main_UnknownCommand_NamesItAndExits2(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains($"unknown command '{args[0]}'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OfflineQueueDirectoryCannotBeCreated_ExitsAtOnceWithStateUnavailable()
    {
        // A path under a regular file cannot be a directory, for any user (a read-only mount behaves the same).
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 5);
        var blocker = _dir.Write("not-a-dir", "a file");

        var (code, _, stderr) = await RunAsync("run", $"--Sources:0:Uri={clip}", $"--Model:Path={Model}", "--Model:Providers=cpu",
            "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}",
            $"--Mqtt:OfflineQueue:Directory={Path.Combine(blocker, "queue")}");

        Assert.Equal(ExitCodes.StateUnavailable, code);
        Assert.Contains($"Mqtt:OfflineQueue:Directory = '{Path.Combine(blocker, "queue")}': cannot be created or written", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    [InlineData("directory")]
    public async Task CheckConfigAndRun_ModelNotARegularFile_RefusedNamingTheKey(string kind)
    {
        var model = kind switch
        {
            "fifo" => Signals.MakeFifo(Path.Combine(_dir.Path, "model.onnx")),
            "directory" => Directory.CreateDirectory(Path.Combine(_dir.Path, "model.onnx")).FullName,
            _ => kind,
        };
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 5);
        string[] config = [$"--Sources:0:Uri={clip}", $"--Model:Path={model}", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}"];

        var check = await RunAsync(["check-config", .. config]);
        var run = await RunAsync(["run", .. config]);

        foreach (var (code, _, stderr) in new[] { check, run })
        {
            Assert.Equal(ExitCodes.InvalidConfiguration, code);
            Assert.Contains($"Model:Path = '{model}': must be an ONNX model,", stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Run_StopSignalDuringAModelLoad_ExitsOkWithoutWaitingForIt(string signal)
    {
        // A load that takes a while (as a large model or a TensorRT engine build does): the stop comes in the middle.
        var model = Path.Combine(_dir.Path, "slow.onnx");
        HandOnnx.WriteSlowToLoad(model, 5000);
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 5);
        using var service = Start("run", $"--Sources:0:Uri={clip}", $"--Model:Path={model}", "--Model:Providers=cpu", "--Mqtt:Port=1",
            "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = Collect(service, line =>
        {
            // Logged by the MQTT side, which starts beside the model load.
            if (line.Contains("MQTT: connecting", StringComparison.Ordinal))
            {
                loading.TrySetResult();
            }
        });

        await loading.Task.WaitAsync(Timeout);
        Signals.Send(service, signal);

        var (code, _, stderr) = await WaitAsync(service, output, Timeout);
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        Assert.Contains($"stopped by SIG{signal} during start-up", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SigtermBeforeTheHostExists_ExitsOkAtOnce()
    {
        // The configuration is read from a pipe nobody writes: the process is held before its host exists, where the
        // runtime's default would end it with 143.
        var config = Signals.MakeFifo(Path.Combine(_dir.Path, "config.json"));
        using var service = Start("run", "--config", config);
        var output = Collect(service);

        await Signals.WaitUntilBlockedOnFifoAsync(service, Timeout);
        Signals.Send(service, "TERM");

        var (code, _, stderr) = await WaitAsync(service, output, TimeSpan.FromSeconds(30));
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        Assert.Contains("SIGTERM received before start-up; nothing was started", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SigtermWhileRunning_LoggedAsTheSignalNotAsSourcesEnded()
    {
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 10);
        using var service = Start("run", $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true", $"--Model:Path={Model}",
            "--Model:Providers=cpu", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = Collect(service, line =>
        {
            if (line.Contains("edgeseg is up", StringComparison.Ordinal))
            {
                up.TrySetResult();
            }
        });

        await up.Task.WaitAsync(Timeout);
        Signals.Send(service, "TERM");

        var (code, stdout, stderr) = await WaitAsync(service, output, Timeout);
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        Assert.Contains("SIGTERM received: stopping", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Every source ended", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Sighup_ReloadsTheModelAndKeepsRunning()
    {
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 160, 120, 10);
        using var service = Start("run", $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true", $"--Model:Path={Model}",
            "--Model:Providers=cpu", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = Collect(service, line =>
        {
            if (line.Contains("edgeseg is up", StringComparison.Ordinal))
            {
                up.TrySetResult();
            }
            else if (line.Contains("Model reloaded", StringComparison.Ordinal))
            {
                reloaded.TrySetResult();
            }
        });

        await up.Task.WaitAsync(Timeout);
        Signals.Send(service, "HUP");
        await reloaded.Task.WaitAsync(Timeout);
        Assert.False(service.HasExited, "SIGHUP ended the process");
        Signals.Send(service, "TERM");

        var (code, _, stderr) = await WaitAsync(service, output, Timeout);
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_OutsideSystemd_OfflineQueueOnlyForItsOwner()
    {
        // No broker: metrics and events go to the on-disk queue. The test host's umask (usually 022) is inherited.
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 48, 32, 10);
        var queue = Path.Combine(_dir.Path, "state", "mqtt-queue");
        using var service = Start("run", $"--Sources:0:Uri={clip}", "--Sources:0:Loop=true", "--Sources:0:Pace=true", $"--Model:Path={Model}",
            "--Model:Providers=cpu", "--Mqtt:Port=1", "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        var output = Collect(service);
        try
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!Directory.Exists(Path.Combine(queue, "metrics")) || !Directory.EnumerateFiles(Path.Combine(queue, "metrics"), "*.seg").Any())
            {
                Assert.True(DateTime.UtcNow < deadline && !service.HasExited, "no metrics segment was queued on disk");
                await Task.Delay(50);
            }

            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            var entries = Directory.EnumerateFileSystemEntries(queue, "*", SearchOption.AllDirectories).Append(queue).ToArray();
            Assert.All(entries, e => Assert.True((File.GetUnixFileMode(e) & others) == 0, $"{e} is {File.GetUnixFileMode(e)}"));
        }
        finally
        {
            Signals.Send(service, "TERM");
            await WaitAsync(service, output, Timeout);
        }
    }

    private Process Start(params string[] args) => Process.Start(EdgesegProcess.LauncherStartInfo(_dir.Path, args))!;

    private static (Task<string> Stdout, Task<string> Stderr) Collect(Process process, Action<string>? onLine = null)
    {
        async Task<string> ReadAsync(StreamReader reader)
        {
            var text = new System.Text.StringBuilder();
            while (await reader.ReadLineAsync() is { } line)
            {
                text.AppendLine(line);
                onLine?.Invoke(line);
            }

            return text.ToString();
        }

        return (ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> WaitAsync(Process process, (Task<string> Stdout, Task<string> Stderr) output, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the process did not exit within {timeout}: {await output.Stderr}");
        }

        return (process.ExitCode, await output.Stdout, await output.Stderr);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(EdgesegProcess.LauncherStartInfo(_dir.Path, args))!;
        return await WaitAsync(process, Collect(process), Timeout);
    }
}
