using System.Buffers;

namespace EdgeSeg.Mqtt.Framing;

/// <summary>
/// Splits a byte stream into MQTT packets: fixed header, variable-length remaining length, body. Reads ahead into
/// one pooled buffer that grows up to the largest packet allowed. Not thread-safe: one reader loop per connection.
/// </summary>
internal sealed class MqttFrameReader : IDisposable
{
    private readonly Stream _stream;
    private readonly int _maxPacketSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MqttFrameReader(Stream stream, int maxPacketSize)
    {
        _stream = stream;
        _maxPacketSize = maxPacketSize;
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    }

    /// <summary>
    /// Reads the next packet. Returns null when the peer closed the stream cleanly between packets.
    /// </summary>
    /// <exception cref="MqttProtocolException">A bad remaining length, a packet over the size limit, or a stream that ends mid-packet.</exception>
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

            if (!await FillAsync(cancellationToken))
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

        EnsureCapacity(total);
        while (_end - _start < total)
        {
            if (!await FillAsync(cancellationToken))
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

    private void EnsureCapacity(int total)
    {
        if (_buffer.Length - _start >= total)
        {
            return;
        }

        var pending = _end - _start;
        if (_buffer.Length >= total)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(total, _buffer.Length * 2));
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = pending;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            EnsureCapacity(_buffer.Length - _start + 1);
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
