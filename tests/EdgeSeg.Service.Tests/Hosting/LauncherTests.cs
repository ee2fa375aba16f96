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
        // A live source that never answers and no broker: the service keeps retrying both until it is stopped. The
        // model path is absolute: the working directory is a temporary folder, where the default relative path
        // names no file (the service would exit 2 on its configuration, racing the read of its environment).
        var info = EdgesegProcess.LauncherStartInfo(_dir.Path,
            "run", $"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Sources:0:Id=cam0", "--Sources:0:Uri=rtsp://127.0.0.1:9/none", "--Mqtt:Port=9",
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
            // A process that has exited and been reaped has no /proc entry: that is reported with its exit code and
            // its output, not as a missing file.
            var deadline = DateTime.UtcNow + Timeout;
            string? environ = null;
            while (environ is null)
            {
                var cmdline = ReadProcFile(service, "cmdline");
                if (cmdline is null || service.HasExited)
                {
                    await service.WaitForExitAsync();
                    Assert.Fail($"the launcher exited with {service.ExitCode} before the service could be seen: {await stderr}{await stdout}");
                }

                if (cmdline.Contains("edgeseg.dll", StringComparison.Ordinal))
                {
                    environ = ReadProcFile(service, "environ"); // null when it exited just now: the next turn says so
                    continue;
                }

                Assert.True(DateTime.UtcNow < deadline, "the launcher did not start the service within 30 s");
                await Task.Delay(20);
            }

            var environment = environ.Split('\0');
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

    /// <summary>The text of <c>/proc/PID/NAME</c>, or null once the process is gone.</summary>
    private static string? ReadProcFile(Process process, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/{name}");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }
    }
}
