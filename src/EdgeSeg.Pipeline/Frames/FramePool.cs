using System.Runtime.CompilerServices;
using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Pipeline.Frames;

/// <summary>
/// A fixed set of frames of one size, allocated once over pinned arrays (the native decoder writes into them without
/// a copy or a GC pin per frame). Renting and returning allocate nothing. Thread-safe.
/// </summary>
public sealed class FramePool
{
    private readonly Lock _gate = new();
    private readonly Frame[] _free;
    private readonly AsyncSignal _returned = new();
    private int _count;

    /// <summary>Allocates <paramref name="capacity"/> frames of <paramref name="width"/> x <paramref name="height"/> x <paramref name="channels"/>.</summary>
    public FramePool(int width, int height, int channels, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Width = width;
        Height = height;
        Channels = channels;
        Capacity = capacity;
        _free = new Frame[capacity];
        var bytes = checked(width * height * channels);
        for (var i = 0; i < capacity; i++)
        {
            _free[i] = new Frame(this, new ImageBuffer(width, height, channels, GC.AllocateUninitializedArray<byte>(bytes, pinned: true)));
        }

        _count = capacity;
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>Bytes per pixel.</summary>
    public int Channels { get; }

    /// <summary>How many frames the pool owns.</summary>
    public int Capacity { get; }

    /// <summary>How many frames are free now.</summary>
    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// How many frames are rented now and not yet released (<see cref="Capacity"/> minus <see cref="Available"/>).
    /// Once a <see cref="FramePipeline"/> has stopped it is 0 for every pool the pipeline rented from.
    /// </summary>
    public int Outstanding => Capacity - Available;

    /// <summary>Rents a frame, or returns null when all are in use. The caller releases it (<see cref="Frame.Release"/>).</summary>
    public Frame? TryRent()
    {
        Frame frame;
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            frame = _free[--_count];
            _free[_count] = null!;
        }

        frame.MarkRented();
        return frame;
    }

    /// <summary>
    /// Rents a frame, waiting for one to be returned when all are in use. One waiter at a time (the source's capture
    /// loop). Returns null when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Frame?> RentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = TryRent();
            if (frame is not null)
            {
                return frame;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            // Wake on a return or, at the latest, every 100 ms to notice cancellation.
            await _returned.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    internal void Return(Frame frame)
    {
        if (!ReferenceEquals(frame.Pool, this))
        {
            throw new ArgumentException("The frame belongs to another pool.", nameof(frame));
        }

        if (!frame.MarkReturned())
        {
            throw new InvalidOperationException($"Frame {frame.Index} of '{frame.SourceId}' was released twice.");
        }

        frame.Clear();
        lock (_gate)
        {
            _free[_count++] = frame;
        }

        _returned.Set();
    }
}
