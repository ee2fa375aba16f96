using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// A hostile MQTT broker on a real loopback TCP port: each accepted connection runs <c>script</c>, which reads the
/// client's packets and writes whatever bytes it likes (a CONNACK and then silence, a SUBSCRIBE never answered, a
/// PUBLISH that announces 200 MB and stops). A real mosquitto cannot misbehave this way, which is what the client's
/// phase-by-phase failure handling is tested against. Each connection is announced on <see cref="Accepted"/>.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    /// <summary>CONNACK, MQTT 5: session not present, success, no properties.</summary>
    public static readonly byte[] ConnAckV5 = [0x20, 0x03, 0x00, 0x00, 0x00];

    /// <summary>PINGRESP.</summary>
    public static readonly byte[] PingResp = [0xD0, 0x00];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Peer, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Channel<Peer> _accepted = Channel.CreateUnbounded<Peer>();
    private readonly Task _accept;

    public FakeBroker(Func<Peer, CancellationToken, Task> script)
    {
        _script = script;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The connections in the order they were accepted.</summary>
    public ChannelReader<Peer> Accepted => _accepted.Reader;

    /// <summary>Waits for the next accepted connection (15 s at most).</summary>
    public async Task<Peer> NextConnectionAsync() =>
        await _accepted.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
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

            var peer = new Peer(client);
            _accepted.Writer.TryWrite(peer);
            _connections.Add(RunAsync(peer));
        }
    }

    private async Task RunAsync(Peer peer)
    {
        using (peer)
        {
            try
            {
                await _script(peer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or EndOfStreamException)
            {
                // The client went away, or the test ended: both end this connection's script.
            }
            finally
            {
                peer.Ended.TrySetResult();
            }
        }
    }

    /// <summary>One accepted connection, seen from the broker's side.</summary>
    internal sealed class Peer : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;

        public Peer(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        /// <summary>Completes when the script ended (the socket is then closed).</summary>
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The first byte (type and flags) of every packet read so far; lock it to read it.</summary>
        public List<byte> Received { get; } = [];

        /// <summary>Reads one whole packet; returns its first byte (type and flags) and body. Throws at end of stream.</summary>
        public async Task<(byte Header, byte[] Body)> ReadPacketAsync(CancellationToken cancellationToken)
        {
            var one = new byte[1];
            await _stream.ReadExactlyAsync(one, cancellationToken);
            var header = one[0];
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                await _stream.ReadExactlyAsync(one, cancellationToken);
                length |= (one[0] & 0x7F) << shift;
                if ((one[0] & 0x80) == 0)
                {
                    break;
                }
            }

            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, cancellationToken);
            lock (Received)
            {
                Received.Add(header);
            }

            return (header, body);
        }

        /// <summary>Reads packets until one of type <paramref name="type"/> (the high nibble, 8 = SUBSCRIBE) arrives, answering PINGREQs when <paramref name="answerPings"/>.</summary>
        public async Task<byte[]> ReadUntilAsync(int type, bool answerPings, CancellationToken cancellationToken)
        {
            while (true)
            {
                var (header, body) = await ReadPacketAsync(cancellationToken);
                if (header >> 4 == type)
                {
                    return body;
                }

                if (header >> 4 == 12 && answerPings)
                {
                    await WriteAsync(PingResp, cancellationToken);
                }
            }
        }

        /// <summary>Answers PINGREQs (and ignores everything else) until the client goes away or the test ends.</summary>
        public async Task AnswerPingsAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                await ReadUntilAsync(12, answerPings: false, cancellationToken);
                await WriteAsync(PingResp, cancellationToken);
            }
        }

        public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken) => await _stream.WriteAsync(bytes, cancellationToken);

        /// <summary>Waits until the client closes its side (a read returns 0 or fails).</summary>
        public async Task WaitForClientCloseAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            try
            {
                while (await _stream.ReadAsync(buffer, cancellationToken) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A reset is a close too.
            }
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
