using System.Diagnostics;
using System.Globalization;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Systemd;

/// <summary>
/// systemd/edgeseg.service's system call deny lists against the real service: every system call the unit denies
/// (expanded by systemd-analyze, less the ones it allows again) fails with EPERM, as the unit's
/// <c>SystemCallErrorNumber=EPERM</c> makes it, through strace's fault injection; the service must still start,
/// publish every frame and stop with exit 0. (No systemd runs here to apply the filter itself.)
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const int Frames = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SyscallFaultFact]
    public async Task Unit_EverySystemCallItDeniesFailsWithEperm_ServiceStillRunsAndPublishes()
    {
        var denied = await DeniedSystemCallsAsync();
        Assert.Contains("setuid", denied);
        Assert.Contains("setpriority", denied);
        await using var broker = await MosquittoBroker.StartAsync();
        var clip = await TestClips.MakeAsync(Path.Combine(_dir.Path, "clip.mp4"), 48, 32, Frames);
        var list = string.Join(',', denied);
        var info = EdgesegProcess.LauncherStartInfo(_dir.Path, "run", "--exit-when-done", "--Device:Id=unit", $"--Sources:0:Uri={clip}",
            $"--Model:Path={TestRepo.Path("tests", "models", "bench-640x360.onnx")}", "--Model:Providers=cpu",
            string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={broker.Port}"), "--Http:Urls=http://127.0.0.1:0",
            $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        var launcher = info.FileName;
        info.FileName = "strace";
        info.ArgumentList.Insert(0, launcher);
        foreach (var arg in new[] { "-f", "-qq", "-o", Path.Combine(_dir.Path, "strace.txt"), "-e", $"trace={list}", "-e", $"inject={list}:error=EPERM" }.Reverse())
        {
            info.ArgumentList.Insert(0, arg);
        }

        using var service = Process.Start(info)!;
        var stdout = service.StandardOutput.ReadToEndAsync();
        var stderr = service.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await service.WaitForExitAsync(cts.Token);

        Assert.True(service.ExitCode == ExitCodes.Ok, $"exit {service.ExitCode}: {await stderr}");
        Assert.Contains("Every source ended", await stdout, StringComparison.Ordinal);
        // The filter was exercised: the runtime and the libraries did make denied calls, and got EPERM.
        Assert.Contains("EPERM (Operation not permitted) (INJECTED)", await File.ReadAllTextAsync(Path.Combine(_dir.Path, "strace.txt")), StringComparison.Ordinal);
    }

    /// <summary>The unit's denied system calls: its <c>~</c> lists expanded, less the ones a later line allows again, that strace knows here.</summary>
    private static async Task<List<string>> DeniedSystemCallsAsync()
    {
        var lines = File.ReadAllLines(TestRepo.Path("systemd", "edgeseg.service"))
            .Where(l => l.StartsWith("SystemCallFilter=", StringComparison.Ordinal)).Select(l => l["SystemCallFilter=".Length..]).ToList();
        var deny = new HashSet<string>(StringComparer.Ordinal);
        var allow = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var target = line.StartsWith('~') ? deny : allow;
            foreach (var name in line.TrimStart('~').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                target.UnionWith(await ExpandAsync(name));
            }
        }

        var known = new List<string>();
        foreach (var call in deny.Except(allow).Order(StringComparer.Ordinal))
        {
            if ((await RunAsync("strace", "-qq", "-e", $"trace={call}", "true")).Code == 0)
            {
                known.Add(call);
            }
        }

        return known;
    }

    private static async Task<IEnumerable<string>> ExpandAsync(string name)
    {
        if (!name.StartsWith('@'))
        {
            return [name];
        }

        var (code, output) = await RunAsync("systemd-analyze", "syscall-filter", name);
        Assert.True(code == 0, output);
        var calls = new List<string>();
        foreach (var entry in output.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            calls.AddRange(entry.StartsWith('@') ? await ExpandAsync(entry) : [entry]);
        }

        return calls;
    }

    private static async Task<(int Code, string Output)> RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
