using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Tests.Frames;

public sealed class FramePoolTests
{
    [Fact]
    public void TryRent_AllRented_ReturnsNullThenFrameAfterRelease()
    {
        var pool = new FramePool(7, 5, 3, 2);
        var a = pool.TryRent();
        var b = pool.TryRent();

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotSame(a, b);
        Assert.Null(pool.TryRent());
        Assert.Equal((7, 5, 3), (a.Image.Width, a.Image.Height, a.Image.Channels));

        b.Release();

        Assert.Same(b, pool.TryRent());
    }

    [Fact]
    public void Release_Twice_Throws()
    {
        var pool = new FramePool(4, 4, 3, 1);
        var frame = pool.TryRent()!;
        frame.Release();

        Assert.Throws<InvalidOperationException>(frame.Release);
    }

    [Fact]
    public void Release_ClearsAttachedResults()
    {
        var pool = new FramePool(4, 4, 3, 1);
        var frame = pool.TryRent()!;
        frame.Result = new object();
        frame.Metrics = new object();

        frame.Release();
        var again = pool.TryRent()!;

        Assert.Null(again.Result);
        Assert.Null(again.Metrics);
    }

    [Fact]
    public async Task RentAsync_PoolEmpty_CompletesWhenAFrameReturns()
    {
        var pool = new FramePool(4, 4, 3, 1);
        var held = pool.TryRent()!;

        var waiting = pool.RentAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        held.Release();

        Assert.Same(held, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RentAsync_Cancelled_ReturnsNull()
    {
        var pool = new FramePool(4, 4, 3, 1);
        _ = pool.TryRent();
        using var cts = new CancellationTokenSource();

        var waiting = pool.RentAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
