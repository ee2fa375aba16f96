using System.Net;
using System.Net.Sockets;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// A TCP server that plays a fixed script to each connection: read the client's first bytes, then write the
/// given bytes (or nothing at all, for a broker that accepts TCP and never answers), then keep the socket open.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accept;
    private int _connections;

    public ScriptedServer(byte[] reply)
    {
        _reply = reply;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        foreach (var c in _clients)
        {
            c.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
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

            _clients.Add(client);
            Interlocked.Increment(ref _connections);
            if (_reply.Length > 0)
            {
                try
                {
                    var buffer = new byte[1024];
                    _ = await client.GetStream().ReadAsync(buffer, _stop.Token);
                    await client.GetStream().WriteAsync(_reply, _stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                }
            }
        }
    }
}
