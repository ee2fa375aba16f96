using System.Buffers;
using System.Diagnostics;
using EdgeSeg.Mqtt.Framing;
using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Mqtt;

/// <summary>
/// One live network connection: the stream, its frame reader, a serialised writer, per-connection topic aliases and
/// the limits the broker announced. Low-level I/O exceptions are translated into <see cref="MqttException"/> here and
/// nowhere else. Owned by <see cref="MqttClient"/>'s supervisor, which disposes it when it ends.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private static int s_nextId;

    private readonly Stream _stream;
    private readonly MqttFrameReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly Dictionary<string, ushort> _outgoingAliases = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, string> _incomingAliases = [];
    private byte[] _writeBuffer = ArrayPool<byte>.Shared.Rent(8 * 1024);
    private string? _closeReason;
    private int _disposed;

    public MqttConnection(Stream stream, MqttEndpoint endpoint, MqttProtocolVersion version, int maxIncomingPacketSize, TimeSpan silenceTimeout)
    {
        _stream = stream;
        Endpoint = endpoint;
        Version = version;
        _reader = new MqttFrameReader(stream, maxIncomingPacketSize, silenceTimeout);
        Id = Interlocked.Increment(ref s_nextId);
        LastPingSent = Stopwatch.GetTimestamp();
    }

    public int Id { get; }

    public MqttEndpoint Endpoint { get; }

    public MqttProtocolVersion Version { get; }

    /// <summary>Cancelled when the connection is aborted for any reason.</summary>
    public CancellationToken Aborted => _abort.Token;

    public string CloseReason => _closeReason ?? "closed";

    public int ServerMaximumPacketSize { get; private set; } = MqttLimits.MaxPacketSize;

    public ushort ServerTopicAliasMaximum { get; private set; }

    public ushort ServerReceiveMaximum { get; private set; } = ushort.MaxValue;

    public MqttQualityOfService ServerMaximumQoS { get; private set; } = MqttQualityOfService.ExactlyOnce;

    public bool ServerRetainAvailable { get; private set; } = true;

    public bool UseTopicAliases { get; set; }

    public ushort IncomingTopicAliasMaximum { get; set; }

    /// <summary>Stopwatch timestamp of the last PINGREQ; with <see cref="PingOutstanding"/>, what the keep-alive watchdog checks.</summary>
    public long LastPingSent { get; set; }

    public volatile bool PingOutstanding;

    /// <summary>QoS 1/2 publishes received on this connection whose acknowledgement has not gone out yet (the handler still has them).</summary>
    public int UnacknowledgedIncoming;

    /// <summary>Takes the broker's limits from its CONNACK.</summary>
    public void ApplyServerLimits(ConnAckPacket connAck)
    {
        var p = connAck.Properties;
        if (p.MaximumPacketSize is { } max)
        {
            ServerMaximumPacketSize = (int)Math.Min(max, MqttLimits.MaxPacketSize);
        }

        ServerTopicAliasMaximum = p.TopicAliasMaximum ?? 0;
        ServerReceiveMaximum = p.ReceiveMaximum ?? ushort.MaxValue;
        ServerMaximumQoS = (MqttQualityOfService)(p.MaximumQoS ?? 2);
        ServerRetainAvailable = p.RetainAvailable is null or 1;
    }

    /// <summary>Reads the next packet; null when the broker closed the connection.</summary>
    public async ValueTask<MqttPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        MqttFrame? frame;
        try
        {
            frame = await _reader.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            throw new MqttException($"Reading from {Endpoint} failed: {ex.Message}", ex);
        }

        if (frame is not { } f)
        {
            return null;
        }

        var packet = MqttPacketCodec.Decode(f.Header, f.Body.Span, Version);
        if (packet is PublishPacket publish && Version == MqttProtocolVersion.V500 && publish.TopicAlias != 0)
        {
            packet = ResolveIncomingAlias(publish);
        }

        return packet;
    }

    /// <summary>Writes one control packet. Waits for the write lock with <paramref name="cancellationToken"/>; the write itself is bounded only by the connection.</summary>
    public async ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var size = MqttPacketCodec.GetSize(packet, Version);
            var buffer = RentWriteBuffer(size);
            MqttPacketCodec.Encode(packet, Version, buffer);
            await WriteAsync(size);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Encodes and writes a PUBLISH straight from the message, choosing a topic alias when the broker allows them.</summary>
    public async ValueTask SendPublishAsync(MqttMessage message, ushort packetId, bool dup, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // Aliases are chosen under the write lock so an alias is always defined on the wire before it is used alone.
            ushort alias = 0;
            var includeTopic = true;
            if (UseTopicAliases && ServerTopicAliasMaximum > 0)
            {
                if (_outgoingAliases.TryGetValue(message.Topic, out alias))
                {
                    includeTopic = false;
                }
                else if (_outgoingAliases.Count < ServerTopicAliasMaximum)
                {
                    alias = (ushort)(_outgoingAliases.Count + 1);
                    _outgoingAliases.Add(message.Topic, alias);
                }
            }

            var size = PublishPacket.GetSize(message, packetId, alias, includeTopic, Version);
            if (size > ServerMaximumPacketSize)
            {
                throw new MqttException(
                    $"A PUBLISH of {size} bytes to '{message.Topic}' exceeds the broker's maximum packet size of {ServerMaximumPacketSize}.",
                    MqttReasonCode.PacketTooLarge);
            }

            var buffer = RentWriteBuffer(size);
            PublishPacket.Encode(buffer, message, packetId, dup, alias, includeTopic, Version);
            await WriteAsync(size);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the connection at once (no DISCONNECT); pending reads and writes fail. Safe to call repeatedly.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        // Disposing the stream unblocks a write stuck on a full socket buffer (a half-open connection).
        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort("disposed");
        await _stream.DisposeAsync();

        // The buffers go back to the pool only once no writer can touch them; a writer that never lets go (it
        // should not, the stream is disposed) leaves them to the GC instead of hanging the supervisor.
        if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            _writeBuffer = [];
        }

        _reader.Dispose();

        // _abort is not disposed: it has no timer to release, and Aborted stays usable by whoever still holds this
        // connection (the delivery loop acknowledging a message after the connection ended, a caller's registration).
    }

    // Caller holds the write lock.
    private byte[] RentWriteBuffer(int size)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            // A late writer (an acknowledgement from the delivery loop) after the buffers went back to the pool.
            throw new MqttException($"The connection to {Endpoint} is closed.");
        }

        if (_writeBuffer.Length < size)
        {
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            _writeBuffer = ArrayPool<byte>.Shared.Rent(size);
        }

        return _writeBuffer;
    }

    private async ValueTask WriteAsync(int size)
    {
        try
        {
            // Only the connection's own token: cancelling a write half-way would leave a torn packet on the wire.
            await _stream.WriteAsync(_writeBuffer.AsMemory(0, size), _abort.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Abort($"write failed: {ex.Message}");
            throw new MqttException($"Writing to {Endpoint} failed: {ex.Message}", ex);
        }
    }

    private PublishPacket ResolveIncomingAlias(PublishPacket publish)
    {
        if (publish.TopicAlias > IncomingTopicAliasMaximum)
        {
            throw new MqttProtocolException(
                $"The broker used topic alias {publish.TopicAlias}; we allow at most {IncomingTopicAliasMaximum}.", MqttReasonCode.TopicAliasInvalid);
        }

        if (publish.IncludeTopic)
        {
            _incomingAliases[publish.TopicAlias] = publish.Message.Topic;
            return publish;
        }

        if (!_incomingAliases.TryGetValue(publish.TopicAlias, out var topic))
        {
            throw new MqttProtocolException($"The broker used topic alias {publish.TopicAlias} before defining it.", MqttReasonCode.ProtocolError);
        }

        var m = publish.Message;
        var resolved = new MqttMessage(topic, m.Payload)
        {
            QualityOfService = m.QualityOfService,
            Retain = m.Retain,
            ContentType = m.ContentType,
            MessageExpiryInterval = m.MessageExpiryInterval,
            PayloadFormat = m.PayloadFormat,
            ResponseTopic = m.ResponseTopic,
            CorrelationData = m.CorrelationData,
            UserProperties = m.UserProperties,
            SubscriptionIdentifiers = m.SubscriptionIdentifiers,
        };
        return new PublishPacket(resolved) { PacketId = publish.PacketId, Dup = publish.Dup, TopicAlias = publish.TopicAlias };
    }
}
