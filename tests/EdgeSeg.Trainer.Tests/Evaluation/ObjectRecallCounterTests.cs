using EdgeSeg.Core.Classes;
using EdgeSeg.Trainer.Evaluation;

namespace EdgeSeg.Trainer.Tests.Evaluation;

/// <summary>Object recall by height on hand-made masks, through OpenCV's connected components.</summary>
public sealed class ObjectRecallCounterTests
{
    private const int Width = 40;
    private const int Height = 140;

    private static void Fill(byte[] mask, int left, int top, int width, int height, byte value)
    {
        for (var y = top; y < top + height; y++)
        {
            mask.AsSpan((y * Width) + left, width).Fill(value);
        }
    }

    private static (long Objects, long Found, long Pixels, long Recalled)[] Counts(ObjectRecall recall) =>
        [.. recall.Bands.Select(b => (b.Objects, b.Found, b.Pixels, b.RecalledPixels))];

    [Fact]
    public void Add_RegionsOfSeveralHeights_BandsByBoxHeightAndFindsAtHalfTheirPixels()
    {
        var truth = new byte[Width * Height];
        var predicted = new byte[Width * Height];
        Fill(truth, 0, 0, 2, 10, 3);      // pedestrian, 10 rows, 20 px; 10 predicted: exactly half, found
        Fill(predicted, 0, 0, 2, 5, 3);
        Fill(truth, 4, 0, 1, 16, 3);      // pedestrian, 16 rows (the second band's first height), none predicted
        Fill(predicted, 4, 0, 1, 16, 2);
        Fill(truth, 10, 0, 5, 20, 2);     // vehicle, 20 rows, 100 px; 49 predicted: not found
        Fill(predicted, 10, 0, 5, 9, 2);
        Fill(predicted, 10, 9, 4, 1, 2);
        Fill(truth, 30, 5, 1, 130, 3);    // pedestrian, 130 rows, all predicted
        Fill(predicted, 30, 5, 1, 130, 3);
        var counter = new ObjectRecallCounter([]);

        counter.Add(truth, predicted, Width);

        var result = counter.Result();
        Assert.Equal(["vehicle", "pedestrian"], result.Select(r => r.Name));
        Assert.Equal(["0-15 px", "16-31 px", "32-63 px", "64-127 px", "128+ px"], result[0].Bands.Select(b => b.Label));
        Assert.Equal([(0L, 0L, 0L, 0L), (1, 0, 100, 49), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)], Counts(result[0]));
        Assert.Equal([(1L, 1L, 20L, 10L), (1, 0, 16, 0), (0, 0, 0, 0), (0, 0, 0, 0), (1, 1, 130, 130)], Counts(result[1]));
        Assert.Equal(0.49, result[0].Bands[1].PixelRecall);
        Assert.True(double.IsNaN(result[0].Bands[0].FoundRate));
    }

    [Fact]
    public void Add_DiagonalNeighbours_AreOneRegion()
    {
        var truth = new byte[Width * Height];
        truth[0] = 3;
        truth[Width + 1] = 3;
        truth[(2 * Width) + 2] = 3;

        var counter = new ObjectRecallCounter([]);
        counter.Add(truth, new byte[Width * Height], Width);

        Assert.Equal((1L, 0L, 3L, 0L), Counts(counter.Result()[1])[0]);
    }

    [Fact]
    public void Add_SeveralImages_Accumulates()
    {
        var truth = new byte[Width * Height];
        Fill(truth, 0, 0, 3, 40, 2);
        var counter = new ObjectRecallCounter([]);

        counter.Add(truth, truth, Width);
        counter.Add(truth, new byte[Width * Height], Width);

        Assert.Equal((2L, 1L, 240L, 120L), Counts(counter.Result()[0])[2]);
    }

    [Fact]
    public void Result_UnlabelledClass_IsLeftOut()
    {
        var counter = new ObjectRecallCounter([ApplianceClass.Pedestrian]);
        var truth = new byte[Width * Height];
        Fill(truth, 0, 0, 2, 10, 3);

        counter.Add(truth, truth, Width);

        Assert.Equal(["vehicle"], counter.Result().Select(r => r.Name));
    }

    [Fact]
    public void Add_PredictionOfAnotherSize_Throws()
    {
        var counter = new ObjectRecallCounter([]);

        var e = Assert.Throws<ArgumentException>(() => counter.Add(new byte[Width * 2], new byte[Width], Width));

        Assert.Contains("must be the same whole rows of 40", e.Message, StringComparison.Ordinal);
    }
}
