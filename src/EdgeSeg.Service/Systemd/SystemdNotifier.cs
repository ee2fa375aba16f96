using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Systemd;

/// <summary>
/// The sd_notify protocol, spoken directly: one datagram per notification to the unix socket systemd names in
/// <c>NOTIFY_SOCKET</c> (a path, or an abstract socket written with a leading '@'). Every method is a no-op when the
/// variable is absent (not started by systemd). Thread-safe; the singleton owns its socket and disposes it.
/// </summary>
internal sealed partial class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly ILogger _logger;
    private int _failuresLogged;

    /// <summary>Creates a notifier for the socket named by <paramref name="notifySocket"/> (null or empty: disabled).</summary>
    public SystemdNotifier(string? notifySocket, TimeSpan? watchdogInterval, ILogger<SystemdNotifier> logger)
    {
        _logger = logger;
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // '@' marks Linux's abstract namespace; the address itself starts with a NUL byte there.
        SocketPath = notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
        {
            // Never stall the caller on a full receive queue: a notification that cannot be sent now is dropped and logged.
            Blocking = false,
        };
    }

    /// <summary>Whether systemd asked for notifications.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>The socket notifications go to, as <c>NOTIFY_SOCKET</c> gave it.</summary>
    public string? SocketPath { get; }

    /// <summary>How often systemd expects <c>WATCHDOG=1</c> (<c>WATCHDOG_USEC</c>), null when there is no watchdog.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Reads <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> from the environment.</summary>
    public static SystemdNotifier FromEnvironment(Func<string, string?> getEnvironment, ILogger<SystemdNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(getEnvironment);
        TimeSpan? watchdog = null;
        var pid = getEnvironment("WATCHDOG_PID");
        var pidMatches = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (pidMatches && long.TryParse(getEnvironment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            watchdog = TimeSpan.FromMicroseconds(usec);
        }

        return new SystemdNotifier(getEnvironment("NOTIFY_SOCKET"), watchdog, logger);
    }

    /// <summary><c>READY=1</c>: start-up is complete (sources and model are up).</summary>
    public bool Ready(string status) => Notify($"READY=1\nSTATUS={Sanitise(status)}");

    /// <summary><c>STATUS=...</c>: a one-line status systemctl shows.</summary>
    public bool Status(string status) => Notify($"STATUS={Sanitise(status)}");

    /// <summary><c>WATCHDOG=1</c>: the service is alive and making progress.</summary>
    public bool Watchdog() => Notify("WATCHDOG=1");

    /// <summary><c>STOPPING=1</c>: shutdown has begun.</summary>
    public bool Stopping() => Notify("STOPPING=1");

    /// <summary>Sends one notification (newline-separated assignments). Returns whether a datagram was sent.</summary>
    public bool Notify(string state)
    {
        if (_socket is null)
        {
            return false;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endPoint!);
            return true;
        }
        catch (SocketException e)
        {
            // Log the first few failures only: a missing socket would otherwise flood the journal once per tick.
            if (Interlocked.Increment(ref _failuresLogged) <= 3)
            {
                LogSendFailed(_logger, SocketPath, e.SocketErrorCode, e.Message);
            }

            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket?.Dispose();

    private static string Sanitise(string status) => status.ReplaceLineEndings(" ");

    [LoggerMessage(Level = LogLevel.Warning, Message = "sd_notify to {Socket} failed ({Error}): {Message}")]
    private static partial void LogSendFailed(ILogger logger, string? socket, SocketError error, string message);
}
