using Microsoft.Extensions.Hosting;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// The process's exit code, set by whichever component ends the run (the pipeline when every finite source is done,
/// or a component that fails for good) before it asks the host to stop. The first code set wins. A singleton.
/// </summary>
internal sealed class ServiceExit(IHostApplicationLifetime lifetime)
{
    private int _code = -1;
    private string? _reason;

    /// <summary>The exit code; <see cref="Cli.ExitCodes.Ok"/> when nothing set one (a stop by signal is a clean stop).</summary>
    public int Code => Volatile.Read(ref _code) is var code && code >= 0 ? code : Cli.ExitCodes.Ok;

    /// <summary>Why the run ended, when a component said so.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Whether the host is stopping (a signal, or a component that ended the run).</summary>
    public bool StopRequested => lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>Sets the exit code (first caller wins) and stops the host.</summary>
    public void Stop(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _code, code, -1) == -1)
        {
            Volatile.Write(ref _reason, reason);
        }

        lifetime.StopApplication();
    }
}
