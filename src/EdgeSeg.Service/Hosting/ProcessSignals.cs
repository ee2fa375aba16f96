using System.Runtime.InteropServices;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// The process's signal handling, installed first thing in <c>Main</c> so that no signal meets the runtime's default
/// (which ends the process at once: exit 143 for SIGTERM, no drain) while the configuration is read or the host is
/// built. SIGTERM, SIGINT and SIGQUIT request a stop: before a host has taken charge of stopping
/// (<see cref="AttachHost"/>), nothing is running that needs a drain, and the process exits 0 at once, even if its
/// main thread is blocked (reading a configuration from a pipe); after, <see cref="StopRequested"/> is cancelled and
/// the host drains. SIGHUP requests a reload (<see cref="ReloadRequested"/>; ignored with a note on stderr while
/// nothing handles it). One per process; the caller of <see cref="Install"/> disposes it.
/// </summary>
internal sealed class ProcessSignals : IDisposable
{
    private static ProcessSignals? s_current;
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private volatile string? _stopSignal;
    private volatile bool _hostAttached;
    private volatile bool _hostExpected;

    private ProcessSignals()
    {
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP }
            .Select(s => PosixSignalRegistration.Create(s, Handle))];
    }

    /// <summary>The handler installed by <see cref="Install"/>; null in a process that did not install one (tests, the bench).</summary>
    public static ProcessSignals? Current => Volatile.Read(ref s_current);

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken StopRequested => _stop.Token;

    /// <summary>The first stop signal's name (<c>SIGTERM</c>, ...), or null.</summary>
    public string? StopSignal => _stopSignal;

    /// <summary>Raised on SIGHUP (on the signal-handling thread: start the work elsewhere and return).</summary>
    public event EventHandler? ReloadRequested;

    /// <summary>Installs the handlers for this process (once).</summary>
    public static ProcessSignals Install()
    {
        var signals = new ProcessSignals();
        if (Interlocked.CompareExchange(ref s_current, signals, null) is not null)
        {
            signals.Dispose();
            throw new InvalidOperationException("The process's signal handlers are already installed.");
        }

        return signals;
    }

    /// <summary>
    /// Called by <c>run</c> as it begins: a stop before the host is attached is then a clean stop of a service that had
    /// not started (exit 0). Other commands keep the conventional 128 + signal number.
    /// </summary>
    public void ExpectHost() => _hostExpected = true;

    /// <summary>From now on a stop signal cancels <see cref="StopRequested"/> (the host drains) instead of exiting at once.</summary>
    public void AttachHost() => _hostAttached = true;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        Interlocked.CompareExchange(ref s_current, null, this);
        _stop.Dispose();
    }

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGINT => "SIGINT",
        PosixSignal.SIGQUIT => "SIGQUIT",
        PosixSignal.SIGHUP => "SIGHUP",
        _ => signal.ToString(),
    };

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };

    private void Handle(PosixSignalContext context)
    {
        // Never the runtime's default: a stop drains the pipeline, a reload keeps the process.
        context.Cancel = true;
        if (context.Signal == PosixSignal.SIGHUP)
        {
            if (ReloadRequested is { } reload)
            {
                reload(this, EventArgs.Empty);
            }
            else
            {
                Console.Error.WriteLine("edgeseg: SIGHUP received before start-up completed; nothing to reload yet");
            }

            return;
        }

        Interlocked.CompareExchange(ref _stopSignal, Name(context.Signal), null);
        if (!_hostAttached)
        {
            // Nothing to drain: no frame in flight, no broker session. A clean stop is an exit, now.
            if (_hostExpected)
            {
                Console.Error.WriteLine($"edgeseg: {_stopSignal} received before start-up; nothing was started");
                Environment.Exit(Cli.ExitCodes.Ok);
            }

            Environment.Exit(128 + SignalNumber(context.Signal));
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The process is past its run: nothing is left to stop.
        }
    }
}
