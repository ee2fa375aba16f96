using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.Mqtt;

/// <summary>
/// An append-only FIFO of byte records in segment files, with a committed head that survives restarts.
/// Layout of the folder: <c>NNNNNNNNNNNN.seg</c> segments holding records <c>[u32 length][u32 crc32][bytes]</c>
/// (big-endian), and <c>head</c> holding the committed position <c>[i64 segment][i64 offset][u32 crc32]</c>.
/// Records after the head are delivered again after a restart (at least once). A torn record at the end of a
/// segment (a crash mid-append) is cut off when the queue opens; an append that fails (a full disk) is cut off at
/// once, so a segment never holds half a record. Drained space goes back to the disk as soon as everything is
/// delivered, and after a failed append the next record starts a new segment, so that the full one is deleted once
/// drained: a full disk recovers by itself. Not thread-safe: the owner serialises calls. Dispose never throws (nothing
/// is buffered).
/// </summary>
internal sealed class DiskQueue : IDisposable
{
    private const string HeadFileName = "head";
    private const string SegmentSuffix = ".seg";
    private const int RecordHeaderSize = 8;
    private const int HeadSize = 20;

    private readonly string _directory;
    private readonly long _maxSegmentBytes;
    private readonly bool _durable;
    private readonly List<long> _segments = [];
    private readonly SafeFileHandle _head;
    private readonly byte[] _headerBuffer = new byte[RecordHeaderSize];
    private SafeFileHandle _appender;
    private long _appendOffset;
    private bool _rotateBeforeAppend;
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

        // The head is written once here, so its block is allocated while there is space: later commits overwrite it in
        // place and need none, which is what lets a full disk drain.
        if (RandomAccess.GetLength(_head) < HeadSize)
        {
            WriteHead(head);
        }

        Committed = head;
        _read = head;
        Count = Scan(head);
        UnreadCount = Count;
        _appender = OpenAppender(_segments[^1], out _appendOffset);
    }

    /// <summary>Records after the committed head (unread plus read-but-uncommitted).</summary>
    public long Count { get; private set; }

    /// <summary>Records not yet returned by <see cref="TryReadNext"/>.</summary>
    public long UnreadCount { get; private set; }

    /// <summary>The committed head.</summary>
    public DiskQueuePosition Committed { get; private set; }

    /// <summary>Appends one record, written through to the OS (and to the device when durable).</summary>
    /// <exception cref="IOException">The record could not be stored (a full disk); nothing of it stays in the queue.</exception>
    public void Append(ReadOnlySpan<byte> record)
    {
        var total = RecordHeaderSize + record.Length;
        if (_appendOffset > 0 && (_rotateBeforeAppend || _appendOffset + total > _maxSegmentBytes))
        {
            StartSegment();
        }

        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            // One write of header and record together: there is no buffer that could be flushed later (and fail
            // again at Dispose), and a failure leaves at most one torn tail, cut below.
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)record.Length);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), Crc32.Compute(record));
            record.CopyTo(buffer.AsSpan(RecordHeaderSize));
            RandomAccess.Write(_appender, buffer.AsSpan(0, total), _appendOffset);
            if (_durable)
            {
                RandomAccess.FlushToDisk(_appender);
            }
        }
        catch (IOException)
        {
            CutTornTail();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _appendOffset += total;
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

    /// <summary>
    /// Marks everything up to <paramref name="position"/> (<paramref name="records"/> records) delivered, and deletes
    /// finished segments. When that was everything, the segment being appended to is finished too: appends go on in a
    /// new one and the drained one is deleted now, not when it would have reached its size limit.
    /// </summary>
    public void Commit(DiskQueuePosition position, int records)
    {
        Count -= records;
        if (Count == 0 && UnreadCount == 0)
        {
            // Everything is delivered, whichever segment the reader stopped in (after failed appends the last segment
            // may be an empty one it never entered): the head moves to the end of the last segment, or to the start of
            // a fresh one, and every segment before it goes.
            if (_appendOffset > 0)
            {
                try
                {
                    StartSegment();
                }
                catch (IOException)
                {
                    // No new segment (no inode left, say): the drained one stays until the next commit tries again.
                }
            }

            position = new DiskQueuePosition(_segments[^1], _appendOffset);
            _read = position;
        }

        Committed = position;
        try
        {
            WriteHead(position);
        }
        catch (IOException)
        {
            // The records are delivered; the old head on disk only means they go again after a restart (at least once).
            // Segments behind it are kept so that such a restart finds them; the next commit tries again.
            return;
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

    // Ends the segment being appended to and starts the next; the old one is deleted once the head passes it.
    private void StartSegment()
    {
        var next = _segments[^1] + 1;
        var handle = OpenAppender(next, out var length);
        _appender.Dispose();
        _appender = handle;
        _appendOffset = length;
        _segments.Add(next);
        _rotateBeforeAppend = false;
    }

    // After a failed append: whatever part of the record reached the file is cut off (giving its blocks back), and
    // the next record starts a new segment, so that this one can be deleted as soon as it is drained.
    private void CutTornTail()
    {
        try
        {
            RandomAccess.SetLength(_appender, _appendOffset);
        }
        catch (IOException)
        {
            // Truncating frees space, so it does not fail for want of it; if it fails anyway, the next open's scan cuts the tail.
        }

        _rotateBeforeAppend = _appendOffset > 0;
    }

    private void WriteHead(DiskQueuePosition position)
    {
        Span<byte> head = stackalloc byte[HeadSize];
        BinaryPrimitives.WriteInt64BigEndian(head, position.Segment);
        BinaryPrimitives.WriteInt64BigEndian(head[8..], position.Offset);
        BinaryPrimitives.WriteUInt32BigEndian(head[16..], Crc32.Compute(head[..16]));
        RandomAccess.Write(_head, head, 0);
        if (_durable)
        {
            RandomAccess.FlushToDisk(_head);
        }
    }

    private DiskQueuePosition ReadHead()
    {
        Span<byte> head = stackalloc byte[HeadSize];
        if (RandomAccess.GetLength(_head) >= HeadSize && RandomAccess.Read(_head, head, 0) == HeadSize
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

    private SafeFileHandle OpenAppender(long segment, out long length)
    {
        var handle = File.OpenHandle(SegmentPath(segment), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);
        length = RandomAccess.GetLength(handle);
        return handle;
    }

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix);
}
