using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace EdgeSeg.Mqtt.Packets;

/// <summary>Writes MQTT data types into a span the caller sized with the matching size functions.</summary>
internal ref struct MqttWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public MqttWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    /// <summary>Bytes a variable byte integer of <paramref name="value"/> takes (1..4).</summary>
    public static int VarIntSize(int value)
    {
        Debug.Assert(value >= 0);
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /// <summary>Bytes a length-prefixed UTF-8 string takes; throws when the encoding is longer than 65,535 bytes.</summary>
    public static int StringSize(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > ushort.MaxValue)
        {
            throw new ArgumentException($"An MQTT string is at most 65,535 bytes of UTF-8; this one is {count}.", nameof(value));
        }

        return 2 + count;
    }

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteVarInt(int value)
    {
        if ((uint)value > MqttLimits.MaxVarInt)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Variable byte integers hold at most 268,435,455.");
        }

        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                digit |= 0x80;
            }

            _buffer[_position++] = digit;
        }
        while (value > 0);
    }

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetBytes(value, _buffer[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], checked((ushort)count));
        _position += 2 + count;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], checked((ushort)value.Length));
        value.CopyTo(_buffer[(_position + 2)..]);
        _position += 2 + value.Length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }
}
