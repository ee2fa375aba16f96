using System.Diagnostics;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>Runs the real <c>edgeseg</c> executable (edgeseg.dll beside the test assembly) as a child process.</summary>
internal static class EdgesegProcess
{
    /// <summary>The service beside the tests, or the one <c>EDGESEG_TEST_SERVICE_DLL</c> names (an older build, to see a regression test fail there).</summary>
    public static string Dll => Environment.GetEnvironmentVariable("EDGESEG_TEST_SERVICE_DLL") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "edgeseg.dll");

    /// <summary>Starts <c>dotnet edgeseg.dll</c> with <paramref name="args"/>.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args) =>
        Create("dotnet", [Dll, .. args], workingDirectory);

    /// <summary>
    /// Starts the repository's launcher, <c>bin/edgeseg</c> (what <c>make run</c> uses), with <paramref name="args"/>.
    /// <c>EDGESEG_TEST_LAUNCHER</c> names another checkout's launcher instead: run these tests against an older build
    /// to see a regression test fail there.
    /// </summary>
    public static ProcessStartInfo LauncherStartInfo(string workingDirectory, params string[] args) =>
        Create(Environment.GetEnvironmentVariable("EDGESEG_TEST_LAUNCHER") is { Length: > 0 } other ? other : TestRepo.Path("bin", "edgeseg"), args, workingDirectory);

    private static ProcessStartInfo Create(string fileName, IEnumerable<string> args, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A developer's own settings must not leak into the child.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("JOURNAL_STREAM");
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("EDGESEG_", StringComparison.Ordinal)).ToArray())
        {
            info.Environment.Remove(key);
        }

        return info;
    }

    /// <summary>Runs to completion (bounded by <paramref name="timeout"/>) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgeseg {string.Join(' ', args)} did not exit within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
