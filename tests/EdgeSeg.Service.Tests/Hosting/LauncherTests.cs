using System.Diagnostics;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Hosting;

/// <summary>
/// <c>bin/edgeseg</c>, the launcher that <c>make run</c> and the bench use: the running service gets the malloc arena
/// cap in its environment (glibc reads it only at process start, so it cannot be applied from inside).
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null, "2")]
    [InlineData("4", "4")]
    public async Task Launcher_RunningService_HasMallocArenaMaxUnlessTheCallerSetIt(string? given, string expected)
    {
        // A live source that never answers and no broker: the service keeps retrying both until it is stopped.
        var info = EdgesegProcess.LauncherStartInfo(_dir.Path,
            "run", "--Sources:0:Id=cam0", "--Sources:0:Uri=rtsp://127.0.0.1:9/none", "--Mqtt:Port=9",
            "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        if (given is null)
        {
            info.Environment.Remove("MALLOC_ARENA_MAX");
        }
        else
        {
            info.Environment["MALLOC_ARENA_MAX"] = given;
        }

        using var service = Process.Start(info)!;
        var stdout = service.StandardOutput.ReadToEndAsync();
        var stderr = service.StandardError.ReadToEndAsync();
        try
        {
            // The launcher execs dotnet in the same process; its environment is readable once the exec happened.
            var deadline = DateTime.UtcNow + Timeout;
            while (!File.ReadAllText($"/proc/{service.Id}/cmdline").Contains("edgeseg.dll", StringComparison.Ordinal))
            {
                if (service.HasExited)
                {
                    Assert.Fail($"the launcher exited with {service.ExitCode}: {await stderr}");
                }

                Assert.True(DateTime.UtcNow < deadline, "the launcher did not start the service within 30 s");
                await Task.Delay(20);
            }

            var environment = File.ReadAllText($"/proc/{service.Id}/environ").Split('\0');
            Assert.Contains($"MALLOC_ARENA_MAX={expected}", environment);
            Assert.Single(environment, e => e.StartsWith("MALLOC_ARENA_MAX=", StringComparison.Ordinal));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            _ = await stdout;
            _ = await stderr;
        }
    }
}
