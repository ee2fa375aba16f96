using EdgeSeg.Scene.Analysis;

namespace EdgeSeg.Scene.Tests.Analysis;

public class ClassCounterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(513)]
    [InlineData(255 * 64 + 5)]
    [InlineData(100_003)]
    public void Accumulate_AwkwardLengths_MatchesNaiveCount(int length)
    {
        var random = new Random(length);
        var pixels = new byte[length];
        for (var i = 0; i < length; i++)
        {
            // Long runs of one class stress the per-lane byte counters across the 255-block flush.
            pixels[i] = (byte)(i % 4000 < 2000 ? 2 : random.Next(5));
        }

        var counts = default(ClassCounter.Counts);
        ClassCounter.Accumulate(pixels, ref counts);

        var naive = new int[5];
        foreach (var p in pixels)
        {
            naive[p]++;
        }

        var coverage = counts.ToCoverage();
        Assert.Equal([naive[0], naive[1], naive[2], naive[3], naive[4]],
            new[] { coverage.Background, coverage.Road, coverage.Vehicle, coverage.Pedestrian, coverage.LaneMarking });
    }
}
