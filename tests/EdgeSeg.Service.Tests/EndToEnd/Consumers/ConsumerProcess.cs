using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>
/// A consumer sample (samples/consumers/*) running as a child process: its stdout lines (one per message) and stderr
/// lines (connection news) are collected, and a test waits on them with a timeout.
/// </summary>
internal sealed partial class ConsumerProcess : IAsyncDisposable
{
    private const int SigInt = 2;

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _log = [];
    private readonly List<(Func<ConsumerProcess, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    private ConsumerProcess(Process process) => _process = process;

    /// <summary>What printed to stdout so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>What printed to stderr so far.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Starts <paramref name="info"/> (its output is redirected here).</summary>
    public static ConsumerProcess Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        var consumer = new ConsumerProcess(process);
        process.OutputDataReceived += (_, e) => consumer.Add(consumer._lines, e.Data);
        process.ErrorDataReceived += (_, e) => consumer.Add(consumer._log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return consumer;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over what the process printed.</summary>
    public async Task WaitForAsync(Func<ConsumerProcess, bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: not within {timeout}. Exited: {_process.HasExited}. stderr:\n{string.Join('\n', Log)}\n"
                + $"stdout ({Lines.Count} lines), last lines:\n{string.Join('\n', Lines.TakeLast(5))}");
        }
    }

    /// <summary>Sends SIGINT (Ctrl-C), waits for the exit and returns the exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        _ = Kill(_process.Id, SigInt);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(List<string> target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Condition(this)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    // int kill(pid_t pid, int sig);
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
