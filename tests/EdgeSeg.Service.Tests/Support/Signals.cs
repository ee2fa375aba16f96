using System.Diagnostics;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>Sends a signal to a process with the kill tool, and makes FIFOs with mkfifo (the real system calls, no stand-ins).</summary>
internal static class Signals
{
    public static void Send(Process process, string signal) => Run("kill", $"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string MakeFifo(string path)
    {
        Run("mkfifo", path);
        return path;
    }

    /// <summary>
    /// Waits until a thread of <paramref name="process"/> sleeps in the kernel opening a FIFO (its wchan names the FIFO
    /// open), i.e. it is blocked on a FIFO nobody writes to (the runtime's debugger pipe thread, which always does, aside).
    /// </summary>
    public static async Task WaitUntilBlockedOnFifoAsync(Process process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the process exited ({process.ExitCode}) before it blocked on the FIFO");
            }

            foreach (var task in Tasks(process))
            {
                string wchan;
                try
                {
                    // The runtime's own debugger transport thread waits on a FIFO from the start: not ours.
                    if ((await File.ReadAllTextAsync(Path.Combine(task, "comm"))).StartsWith(".NET DebugPipe", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    wchan = await File.ReadAllTextAsync(Path.Combine(task, "wchan"));
                }
                catch (IOException)
                {
                    continue;
                }

                if (wchan.Contains("fifo", StringComparison.Ordinal) || wchan.Contains("wait_for_partner", StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no thread of the process blocked on a FIFO within {timeout}");
            await Task.Delay(20);
        }
    }

    // The thread folders of a live process; none once it has exited and been reaped (the loop's next turn says so).
    private static string[] Tasks(Process process)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{process.Id}/task");
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static void Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {error}");
    }
}
