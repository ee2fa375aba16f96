using System.Buffers.Binary;
using System.Text;

namespace EdgeSeg.Mqtt.Packets;

/// <summary>
/// Reads MQTT data types from one packet body. Every read is bounds-checked: running past the end, a bad variable
/// byte integer or invalid UTF-8 throws <see cref="MqttProtocolException"/>, never anything else.
/// </summary>
internal ref struct MqttReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MqttReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool AtEnd => _position == _buffer.Length;

    public byte ReadByte()
    {
        Need(1, "a byte");
        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "a two-byte integer");
        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "a four-byte integer");
        var value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    public int ReadVarInt()
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var digit = ReadByte();
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                return value;
            }
        }

        throw new MqttProtocolException("Malformed variable byte integer: more than four bytes.", MqttReasonCode.MalformedPacket);
    }

    /// <summary>Reads a property identifier (a variable byte integer); anything above one byte is unknown.</summary>
    public MqttPropertyId ReadPropertyId()
    {
        var raw = ReadVarInt();
        if (raw > byte.MaxValue)
        {
            throw new MqttProtocolException($"Unknown property identifier 0x{raw:x}.", MqttReasonCode.MalformedPacket);
        }

        return (MqttPropertyId)raw;
    }

    public string ReadString()
    {
        var bytes = ReadBinarySpan("a UTF-8 string");
        string value;
        try
        {
            value = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MqttProtocolException("Malformed UTF-8 string.", ex);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new MqttProtocolException("A UTF-8 string contains U+0000, which MQTT forbids.", MqttReasonCode.MalformedPacket);
        }

        return value;
    }

    public byte[] ReadBinary() => ReadBinarySpan("binary data").ToArray();

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count, $"{count} bytes");
        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var span = _buffer[_position..];
        _position = _buffer.Length;
        return span;
    }

    private ReadOnlySpan<byte> ReadBinarySpan(string what)
    {
        var length = ReadUInt16();
        Need(length, what);
        var span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly void Need(int count, string what)
    {
        if (count > _buffer.Length - _position)
        {
            throw new MqttProtocolException(
                $"Malformed packet: it ends where {what} was expected ({_buffer.Length - _position} bytes left, {count} needed).",
                MqttReasonCode.MalformedPacket);
        }
    }
}
