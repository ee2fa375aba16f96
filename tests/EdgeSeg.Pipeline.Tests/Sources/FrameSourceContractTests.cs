using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Sources;

namespace EdgeSeg.Pipeline.Tests.Sources;

/// <summary>The <see cref="IFrameSource"/> contract, run once per implementation through a derived class.</summary>
public abstract class FrameSourceContractTests
{
    /// <summary>A source reading real input, not yet opened.</summary>
    protected abstract IFrameSource CreateSource(string id);

    /// <summary>The number of frames the input has, or null for a live source.</summary>
    protected abstract int? FrameCount { get; }

    protected abstract FrameSourceKind ExpectedKind { get; }

    [Fact]
    public void Open_ReportsKindSizeAndLiveness()
    {
        using var source = CreateSource("cam-a");

        source.Open();

        Assert.True(source.IsOpen);
        Assert.Equal(ExpectedKind, source.Kind);
        Assert.Equal(FrameCount is null, source.IsLive);
        Assert.True(source.Width > 0 && source.Height > 0);
        Assert.Equal("cam-a", source.Id);
    }

    [Fact]
    public void TryRead_StampsIdMonotonicIndexAndTimestamps()
    {
        using var source = CreateSource("cam-b");
        source.Open();
        var pool = new FramePool(source.Width, source.Height, 3, 2);
        var before = DateTime.UtcNow;
        long lastTimestamp = 0;

        for (var i = 0; i < 5; i++)
        {
            var frame = pool.TryRent()!;
            Assert.True(source.TryRead(frame));
            Assert.Equal("cam-b", frame.SourceId);
            Assert.Equal(i, frame.Index);
            Assert.True(frame.CaptureTimestamp >= lastTimestamp);
            Assert.InRange(frame.CapturedAtUtc, before, DateTime.UtcNow);
            Assert.Contains(frame.Image.Pixels.ToArray(), b => b != 0);
            lastTimestamp = frame.CaptureTimestamp;
            frame.Release();
        }
    }

    [Fact]
    public void TryRead_NotOpen_ThrowsInvalidOperation()
    {
        using var source = CreateSource("cam-c");
        var pool = new FramePool(8, 8, 3, 1);

        Assert.Throws<InvalidOperationException>(() => source.TryRead(pool.TryRent()!));
    }

    [Fact]
    public void CloseThenOpen_IndexContinues()
    {
        using var source = CreateSource("cam-d");
        source.Open();
        var pool = new FramePool(source.Width, source.Height, 3, 1);
        var frame = pool.TryRent()!;
        Assert.True(source.TryRead(frame));
        Assert.Equal(0, frame.Index);

        source.Close();
        Assert.False(source.IsOpen);
        source.Open();

        Assert.True(source.TryRead(frame));
        Assert.Equal(1, frame.Index);
    }

    [Fact]
    public void TryRead_ToTheEnd_DeliversEveryFrameThenFalse()
    {
        if (FrameCount is not { } expected)
        {
            // Live sources have no end; their end-of-stream is covered by the pipeline's reconnect tests.
            return;
        }

        using var source = CreateSource("cam-e");
        source.Open();
        var pool = new FramePool(source.Width, source.Height, 3, 1);
        var frame = pool.TryRent()!;
        var count = 0;
        while (source.TryRead(frame))
        {
            Assert.Equal(count, frame.Index);
            count++;
        }

        Assert.Equal(expected, count);
        Assert.False(source.TryRead(frame));
    }
}
