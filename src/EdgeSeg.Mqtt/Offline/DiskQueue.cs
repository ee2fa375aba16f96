using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.Mqtt;

/// <summary>
/// An append-only FIFO of byte records in segment files, with a committed head that survives restarts.
/// Layout of the folder: <c>NNNNNNNNNNNN.seg</c> segments holding records <c>[u32 length][u32 crc32][bytes]</c>
/// (big-endian), and <c>head</c> holding the committed position <c>[i64 segment][i64 offset][u32 crc32]</c>.
/// Records after the head are delivered again after a restart (at least once). A torn record at the end of a
/// segment (a crash mid-append) is cut off when the queue opens. Not thread-safe: the owner serialises calls.
/// </summary>
internal sealed class DiskQueue : IDisposable
{
    private const string HeadFileName = "head";
    private const string SegmentSuffix = ".seg";
    private const int RecordHeaderSize = 8;

    private readonly string _directory;
    private readonly long _maxSegmentBytes;
    private readonly bool _durable;
    private readonly List<long> _segments = [];
    private readonly SafeFileHandle _head;
    private readonly byte[] _headerBuffer = new byte[RecordHeaderSize];
    private FileStream _appender;
    private FileStream? _reader;
    private long _readerSegment = -1;
    private DiskQueuePosition _read;

    /// <summary>Opens (or creates) the queue in <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The folder cannot be used.</exception>
    public DiskQueue(string directory, long maxSegmentBytes = 4 * 1024 * 1024, bool durable = false)
    {
        _directory = directory;
        _maxSegmentBytes = maxSegmentBytes;
        _durable = durable;
        Directory.CreateDirectory(directory);
        _head = File.OpenHandle(Path.Combine(directory, HeadFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var head = ReadHead();
        foreach (var file in Directory.EnumerateFiles(directory, "*" + SegmentSuffix))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                if (number < head.Segment)
                {
                    File.Delete(file);
                }
                else
                {
                    _segments.Add(number);
                }
            }
        }

        _segments.Sort();
        if (_segments.Count == 0)
        {
            _segments.Add(head.Segment);
        }

        if (head.Segment < _segments[0])
        {
            head = new DiskQueuePosition(_segments[0], 0);
        }

        Committed = head;
        _read = head;
        Count = Scan(head);
        UnreadCount = Count;
        _appender = OpenAppender(_segments[^1]);
    }

    /// <summary>Records after the committed head (unread plus read-but-uncommitted).</summary>
    public long Count { get; private set; }

    /// <summary>Records not yet returned by <see cref="TryReadNext"/>.</summary>
    public long UnreadCount { get; private set; }

    /// <summary>The committed head.</summary>
    public DiskQueuePosition Committed { get; private set; }

    /// <summary>Appends one record and flushes it (to the OS; to the device too when durable).</summary>
    public void Append(ReadOnlySpan<byte> record)
    {
        if (_appender.Length > 0 && _appender.Length + RecordHeaderSize + record.Length > _maxSegmentBytes)
        {
            var next = _segments[^1] + 1;
            _appender.Dispose();
            _segments.Add(next);
            _appender = OpenAppender(next);
        }

        Span<byte> header = stackalloc byte[RecordHeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)record.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], Crc32.Compute(record));
        _appender.Write(header);
        _appender.Write(record);
        _appender.Flush(_durable);
        Count++;
        UnreadCount++;
    }

    /// <summary>Returns the next unread record and the position just after it (what to commit once it is delivered).</summary>
    public bool TryReadNext(out byte[] record, out DiskQueuePosition after)
    {
        record = [];
        after = default;
        if (UnreadCount == 0)
        {
            return false;
        }

        while (true)
        {
            var reader = ReaderFor(_read.Segment);
            if (_read.Offset < reader.Length)
            {
                break;
            }

            // End of a finished segment: move to the next one.
            var index = _segments.IndexOf(_read.Segment);
            if (index < 0 || index + 1 >= _segments.Count)
            {
                throw new InvalidDataException($"MQTT queue {_directory}: {UnreadCount} records are counted but segment {_read.Segment} ends.");
            }

            _read = new DiskQueuePosition(_segments[index + 1], 0);
        }

        var stream = ReaderFor(_read.Segment);
        stream.Position = _read.Offset;
        stream.ReadExactly(_headerBuffer);
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(_headerBuffer);
        record = new byte[length];
        stream.ReadExactly(record);
        _read = new DiskQueuePosition(_read.Segment, _read.Offset + RecordHeaderSize + length);
        after = _read;
        UnreadCount--;
        return true;
    }

    /// <summary>Marks everything up to <paramref name="position"/> (<paramref name="records"/> records) delivered, and deletes finished segments.</summary>
    public void Commit(DiskQueuePosition position, int records)
    {
        Committed = position;
        Count -= records;
        Span<byte> head = stackalloc byte[20];
        BinaryPrimitives.WriteInt64BigEndian(head, position.Segment);
        BinaryPrimitives.WriteInt64BigEndian(head[8..], position.Offset);
        BinaryPrimitives.WriteUInt32BigEndian(head[16..], Crc32.Compute(head[..16]));
        RandomAccess.Write(_head, head, 0);
        if (_durable)
        {
            RandomAccess.FlushToDisk(_head);
        }

        while (_segments.Count > 1 && _segments[0] < position.Segment)
        {
            if (_readerSegment == _segments[0])
            {
                _reader?.Dispose();
                _reader = null;
                _readerSegment = -1;
            }

            File.Delete(SegmentPath(_segments[0]));
            _segments.RemoveAt(0);
        }
    }

    public void Dispose()
    {
        _appender.Dispose();
        _reader?.Dispose();
        _head.Dispose();
    }

    private DiskQueuePosition ReadHead()
    {
        Span<byte> head = stackalloc byte[20];
        if (RandomAccess.GetLength(_head) >= 20 && RandomAccess.Read(_head, head, 0) == 20
            && BinaryPrimitives.ReadUInt32BigEndian(head[16..]) == Crc32.Compute(head[..16]))
        {
            return new DiskQueuePosition(BinaryPrimitives.ReadInt64BigEndian(head), BinaryPrimitives.ReadInt64BigEndian(head[8..]));
        }

        return new DiskQueuePosition(0, 0);
    }

    // Counts the intact records from the head on, cutting each segment at its first torn or corrupt record.
    private long Scan(DiskQueuePosition head)
    {
        long count = 0;
        foreach (var segment in _segments)
        {
            using var stream = new FileStream(SegmentPath(segment), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var offset = segment == head.Segment ? head.Offset : 0;
            var header = new byte[RecordHeaderSize];
            while (true)
            {
                if (offset + RecordHeaderSize > stream.Length)
                {
                    break;
                }

                stream.Position = offset;
                stream.ReadExactly(header);
                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (offset + RecordHeaderSize + length > stream.Length)
                {
                    break;
                }

                var record = new byte[length];
                stream.ReadExactly(record);
                if (Crc32.Compute(record) != BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)))
                {
                    break;
                }

                offset += RecordHeaderSize + length;
                count++;
            }

            if (offset < stream.Length)
            {
                stream.SetLength(Math.Max(offset, segment == head.Segment ? head.Offset : 0));
            }
        }

        return count;
    }

    private FileStream ReaderFor(long segment)
    {
        if (_readerSegment != segment || _reader is null)
        {
            _reader?.Dispose();
            _reader = new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _readerSegment = segment;
        }

        return _reader;
    }

    private FileStream OpenAppender(long segment) =>
        new(SegmentPath(segment), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix);
}
