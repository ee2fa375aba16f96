using System.Net;
using System.Net.Sockets;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a real broker. <see cref="Freeze"/> makes every current connection half-open:
/// the sockets stay open but no byte moves in either direction, as with a dead NAT entry or a pulled cable.
/// New connections after the freeze are relayed normally.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream, CancellationTokenSource Pump)> _pairs = [];
    private readonly Lock _gate = new();
    private readonly Task _accept;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted { get; private set; }

    /// <summary>Stops relaying on every current connection without closing any socket.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            foreach (var pair in _pairs)
            {
                pair.Pump.Cancel();
            }
        }
    }

    /// <summary>Closes the broker side of every current connection (the broker sees the client vanish).</summary>
    public void CutUpstream()
    {
        lock (_gate)
        {
            foreach (var pair in _pairs)
            {
                pair.Upstream.Client.Close(0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        lock (_gate)
        {
            foreach (var pair in _pairs)
            {
                pair.Pump.Cancel();
                pair.Client.Dispose();
                pair.Upstream.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
            var pump = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            lock (_gate)
            {
                _pairs.Add((client, upstream, pump));
                Accepted++;
            }

            _ = RelayAsync(client.GetStream(), upstream.GetStream(), pump.Token);
            _ = RelayAsync(upstream.GetStream(), client.GetStream(), pump.Token);
        }
    }

    private static async Task RelayAsync(NetworkStream from, NetworkStream to, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, token);
                if (read == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Frozen or closed: leave the sockets as they are.
        }
    }
}
