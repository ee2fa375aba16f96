using EdgeSeg.Training.Kernels;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Training.Tests.Kernels;

[Collection(nameof(EngineStateGroup))]
public class EngineThreadsTests
{
    private static readonly Action<int> CountCall = static _ => Interlocked.Increment(ref s_calls);
    private static int s_calls;

    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 1000)]
    [InlineData(3, 7)]
    [InlineData(4, 3)]
    [InlineData(4, 513)]
    public void For_SeveralThreads_RunsEachIndexExactlyOnce(int threads, int count)
    {
        var hits = RunWithThreads(threads, () =>
        {
            var h = new int[count];
            EngineThreads.For(count, i => Interlocked.Increment(ref h[i]));
            return h;
        });

        Assert.All(hits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void For_BodyThrows_RethrowsItAndThePoolStaysUsable()
    {
        RunWithThreads(2, () =>
        {
            var e = Assert.Throws<InvalidOperationException>(() => EngineThreads.For(100, i =>
            {
                if (i == 37)
                {
                    throw new InvalidOperationException("index 37");
                }
            }));
            Assert.Equal("index 37", e.Message);

            var hits = new int[100];
            EngineThreads.For(100, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, v => Assert.Equal(1, v));
            return 0;
        });
    }

    [Fact]
    public void For_LoopInsideALoopBody_RunsEveryInnerIndexOnce()
    {
        var hits = RunWithThreads(2, () =>
        {
            var h = new int[8 * 50];
            EngineThreads.For(8, outer => EngineThreads.For(50, inner => Interlocked.Increment(ref h[(outer * 50) + inner])));
            return h;
        });

        Assert.All(hits, v => Assert.Equal(1, v));
    }

    [Fact]
    public async Task For_CalledFromTwoThreadsAtOnce_BothFinishEveryIndex()
    {
        var threads = EngineThreads.Count;
        EngineThreads.Count = 2;
        try
        {
            var sums = new long[2];
            var loops = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
            {
                for (var round = 0; round < 200; round++)
                {
                    EngineThreads.For(16, i => Interlocked.Add(ref sums[t], i + 1));
                }
            }));
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal([200L * 136, 200L * 136], sums);
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }

    [Fact]
    public void For_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        RunWithThreads(2, () =>
        {
            s_calls = 0;
            EngineThreads.For(64, CountCall);
            var allocated = Allocations.QuietestRound(() => EngineThreads.For(64, CountCall));
            Assert.Equal(0, allocated);
            Assert.Equal(64 * 31, Volatile.Read(ref s_calls));
            return 0;
        });
    }

    private static T RunWithThreads<T>(int threads, Func<T> action)
    {
        var previous = EngineThreads.Count;
        EngineThreads.Count = threads;
        try
        {
            return action();
        }
        finally
        {
            EngineThreads.Count = previous;
        }
    }
}
