using System.Diagnostics;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>Runs the mosquitto command-line clients as child processes.</summary>
internal static class CommandLine
{
    public static Process Start(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(string program, TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(program, arguments);
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}. stderr: {await stderr}");
        }

        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
