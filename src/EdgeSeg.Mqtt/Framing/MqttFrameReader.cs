using System.Buffers;

namespace EdgeSeg.Mqtt.Framing;

/// <summary>
/// Splits a byte stream into MQTT packets: fixed header, variable-length remaining length, body. Reads ahead into
/// one pooled buffer that grows, as bytes arrive, up to the largest packet allowed. Not thread-safe: one reader loop
/// per connection.
/// </summary>
internal sealed class MqttFrameReader : IDisposable
{
    private readonly Stream _stream;
    private readonly int _maxPacketSize;
    private readonly TimeSpan _silenceTimeout;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <param name="stream">The connection's stream; not owned.</param>
    /// <param name="maxPacketSize">Larger packets are a protocol violation.</param>
    /// <param name="silenceTimeout">
    /// How long the peer may send nothing once it has started a packet. Between packets there is no limit here (the
    /// keep-alive covers that); in the middle of one, silence means a broken or hostile peer.
    /// </param>
    public MqttFrameReader(Stream stream, int maxPacketSize, TimeSpan silenceTimeout)
    {
        _stream = stream;
        _maxPacketSize = maxPacketSize;
        _silenceTimeout = silenceTimeout;
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    }

    /// <summary>
    /// Reads the next packet. Returns null when the peer closed the stream cleanly between packets.
    /// </summary>
    /// <exception cref="MqttProtocolException">A bad remaining length, a packet over the size limit, or a stream that ends mid-packet.</exception>
    /// <exception cref="MqttException">The peer sent nothing for the silence timeout in the middle of a packet.</exception>
    public async ValueTask<MqttFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        // Fixed header: 1 type byte and 1..4 remaining-length bytes.
        var headerLength = 0;
        var remaining = 0;
        while (true)
        {
            if (TryParseHeader(out headerLength, out remaining))
            {
                break;
            }

            var started = _end > _start;
            if (!await (started ? FillWithinAsync(5, cancellationToken) : FillAsync(5, cancellationToken)))
            {
                if (_end == _start)
                {
                    return null;
                }

                throw new MqttProtocolException("The connection closed in the middle of a packet header.", MqttReasonCode.MalformedPacket);
            }
        }

        var total = headerLength + remaining;
        if (total > _maxPacketSize)
        {
            throw new MqttProtocolException(
                $"Received a packet of {total} bytes; the maximum packet size is {_maxPacketSize}.", MqttReasonCode.PacketTooLarge);
        }

        // The buffer grows as the bytes come, not to the announced length at once: a peer that announces 200 MB
        // and sends ten bytes costs ten bytes (and the silence timeout), not 200 MB.
        while (_end - _start < total)
        {
            if (!await FillWithinAsync(total, cancellationToken))
            {
                throw new MqttProtocolException(
                    $"The connection closed in the middle of a packet ({_end - _start} of {total} bytes).", MqttReasonCode.MalformedPacket);
            }
        }

        var header = _buffer[_start];
        var body = new ReadOnlyMemory<byte>(_buffer, _start + headerLength, remaining);
        _start += total;
        return new MqttFrame(header, body);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool TryParseHeader(out int headerLength, out int remaining)
    {
        headerLength = 0;
        remaining = 0;
        var available = _end - _start;
        if (available < 2)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (1 + i >= available)
            {
                return false;
            }

            var digit = _buffer[_start + 1 + i];
            remaining |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                headerLength = 2 + i;
                return true;
            }
        }

        throw new MqttProtocolException("Malformed remaining length: more than four bytes.", MqttReasonCode.MalformedPacket);
    }

    // Makes room for at least one more byte after the pending ones: moves them to the front, or moves them into a
    // larger buffer (doubling, but never past what the current packet needs).
    private void MakeRoom(int packetSize)
    {
        var pending = _end - _start;
        if (_buffer.Length > pending)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            var size = Math.Max(pending + 1, Math.Min((long)_buffer.Length * 2, packetSize));
            var bigger = ArrayPool<byte>.Shared.Rent((int)size);
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = pending;
    }

    // A read in the middle of a packet: the peer must send something within the silence timeout.
    private async ValueTask<bool> FillWithinAsync(int packetSize, CancellationToken cancellationToken)
    {
        // Only packets split across reads come here and pay for the timer: most arrive whole in one read.
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        silence.CancelAfter(_silenceTimeout);
        try
        {
            return await FillAsync(packetSize, silence.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MqttException(
                $"The broker went silent in the middle of a packet: {_end - _start} of {packetSize} bytes, nothing more for {_silenceTimeout.TotalSeconds:0.###} s.");
        }
    }

    private async ValueTask<bool> FillAsync(int packetSize, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            MakeRoom(packetSize);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            return false;
        }

        _end += read;
        return true;
    }
}
