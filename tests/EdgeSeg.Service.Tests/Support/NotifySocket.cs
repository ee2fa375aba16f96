using System.Net.Sockets;
using System.Text;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// A real unix datagram socket standing in for systemd's notification socket: a path socket in a temp folder, or
/// an abstract one (Linux). <see cref="Address"/> is what NOTIFY_SOCKET would hold.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly TempDirectory? _dir;

    public NotifySocket(bool abstractNamespace = false)
    {
        if (abstractNamespace)
        {
            var name = "edgeseg-test-" + Guid.NewGuid().ToString("N");
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
            Address = "@" + name;
        }
        else
        {
            _dir = new TempDirectory();
            Address = Path.Combine(_dir.Path, "notify.sock");
            _socket.Bind(new UnixDomainSocketEndPoint(Address));
        }
    }

    public string Address { get; }

    /// <summary>The next datagram, or a TimeoutException after <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var count = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, count);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No datagram on {Address} within {timeout}.");
        }
    }

    /// <summary>Datagrams until one satisfies <paramref name="match"/> (the ones before it are returned too).</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            seen.Add(message);
            if (match(message))
            {
                return seen;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _dir?.Dispose();
    }
}
