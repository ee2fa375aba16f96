using EdgeSeg.Core.Evaluation;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Tests.Evaluation;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Metrics_AllBackgroundPredictionOnNinetyPercentBackground_HighAccuracyLowMeanIoU()
    {
        // The classic trap: 90 background pixels, 10 road; the model predicts background everywhere.
        var truth = new byte[100];
        truth.AsSpan(90).Fill(1);
        var predicted = new byte[100];
        var matrix = new ConfusionMatrix(5);

        matrix.Accumulate(truth, predicted, 10);

        Assert.Equal(0.9, matrix.PixelAccuracy, 12);
        Assert.Equal(0.9, matrix.IoU(0), 12);   // 90 / (90 + 10 + 0)
        Assert.Equal(0.0, matrix.IoU(1), 12);   // 0 / (0 + 0 + 10)
        Assert.Equal(0.45, matrix.MeanIoU, 12); // vehicle, pedestrian, lane_marking are absent from both: excluded
        Assert.True(double.IsNaN(matrix.IoU(2)));
        Assert.Equal(0.9 * 0.9, matrix.FrequencyWeightedIoU, 12);
    }

    [Fact]
    public void Metrics_HandComputedThreeClassExample_MatchesByHand()
    {
        // truth:     0 0 0 1 1 1 2 2
        // predicted: 0 0 1 1 1 2 2 0
        byte[] truth = [0, 0, 0, 1, 1, 1, 2, 2];
        byte[] predicted = [0, 0, 1, 1, 1, 2, 2, 0];
        var matrix = new ConfusionMatrix(3, ignoreIndex: null);

        matrix.Accumulate(truth, predicted, 4);

        Assert.Equal(2, matrix[0, 0]);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(2, matrix[1, 1]);
        Assert.Equal(1, matrix[1, 2]);
        Assert.Equal(1, matrix[2, 2]);
        Assert.Equal(1, matrix[2, 0]);
        Assert.Equal(8, matrix.Total);
        Assert.Equal(5.0 / 8, matrix.PixelAccuracy, 12);
        // class 0: tp 2, fp 1 (a 2 predicted as 0), fn 1 -> 2/4
        Assert.Equal(0.5, matrix.IoU(0), 12);
        // class 1: tp 2, fp 1, fn 1 -> 2/4; class 2: tp 1, fp 1, fn 1 -> 1/3
        Assert.Equal(0.5, matrix.IoU(1), 12);
        Assert.Equal(1.0 / 3, matrix.IoU(2), 12);
        Assert.Equal((0.5 + 0.5 + (1.0 / 3)) / 3, matrix.MeanIoU, 12);
        Assert.Equal(2.0 / 3, matrix.Precision(0), 12);
        Assert.Equal(2.0 / 3, matrix.Recall(0), 12);
        Assert.Equal(0.5, matrix.Precision(2), 12);
        Assert.Equal(0.5, matrix.Recall(2), 12);
        var expectedFw = (3.0 / 8 * 0.5) + (3.0 / 8 * 0.5) + (2.0 / 8 / 3);
        Assert.Equal(expectedFw, matrix.FrequencyWeightedIoU, 12);
    }

    [Fact]
    public void Accumulate_IgnoredGroundTruth_IsNotCounted()
    {
        byte[] truth = [255, 1, 255, 1];
        byte[] predicted = [0, 1, 4, 2];
        var matrix = new ConfusionMatrix(5);

        matrix.Accumulate(truth, predicted, 2);

        Assert.Equal(2, matrix.Total);
        Assert.Equal(1, matrix[1, 1]);
        Assert.Equal(1, matrix[1, 2]);
    }

    [Fact]
    public void MeanIoUExcluding_UnlabelledClass_IsLeftOut()
    {
        byte[] truth = [1, 1, 1, 1];
        byte[] predicted = [1, 1, 4, 4];
        var matrix = new ConfusionMatrix(5);
        matrix.Accumulate(truth, predicted, 4);

        Assert.Equal(0.25, matrix.MeanIoU, 12); // road 0.5, lane_marking 0
        Assert.Equal(0.5, matrix.MeanIoUExcluding([4]), 12);
    }

    [Fact]
    public void Metrics_EmptyMatrix_AreNaN()
    {
        var matrix = new ConfusionMatrix(5);

        Assert.True(double.IsNaN(matrix.PixelAccuracy));
        Assert.True(double.IsNaN(matrix.MeanIoU));
        Assert.True(double.IsNaN(matrix.FrequencyWeightedIoU));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 5)]
    [InlineData(7, 5)]
    [InlineData(17, 5)]
    [InlineData(513, 5)]
    [InlineData(255 * 33, 5)] // crosses the byte-accumulator flush at every vector width
    [InlineData(1920 * 1080, 5)]
    [InlineData(1000, 1)]
    [InlineData(1001, 8)]
    [InlineData(4097, 9)] // above the vector limit: scalar path
    [InlineData(3000, 32)]
    public void Accumulate_RandomMasks_EqualsNaiveCount(int length, int classes)
    {
        var random = new Random(length + classes);
        var truth = new byte[length];
        var predicted = new byte[length];
        for (var i = 0; i < length; i++)
        {
            truth[i] = random.Next(20) == 0 ? (byte)255 : (byte)random.Next(classes);
            predicted[i] = (byte)random.Next(classes);
        }

        var expected = new long[classes, classes];
        for (var i = 0; i < length; i++)
        {
            if (truth[i] != 255)
            {
                expected[truth[i], predicted[i]]++;
            }
        }

        var matrix = new ConfusionMatrix(classes);
        matrix.Accumulate(truth, predicted, Math.Max(1, length));
        matrix.Accumulate(truth, predicted, Math.Max(1, length)); // accumulates, never resets

        for (var t = 0; t < classes; t++)
        {
            for (var p = 0; p < classes; p++)
            {
                Assert.Equal(2 * expected[t, p], matrix[t, p]);
            }
        }
    }

    [Theory]
    [InlineData(64 * 64, 1)]
    [InlineData(640 * 361, 7)]
    [InlineData(1920 * 1080, 3)]
    public void Accumulate_BlockyMasksWithUniformRuns_EqualsNaiveCount(int length, int seed)
    {
        // Long runs of one agreed class (the vector path's fast tier) mixed with runs that disagree or are ignored.
        var random = new Random(seed);
        var truth = new byte[length];
        var predicted = new byte[length];
        for (var i = 0; i < length;)
        {
            var run = Math.Min(length - i, random.Next(1, 400));
            var t = random.Next(8) == 0 ? (byte)255 : (byte)random.Next(5);
            var p = random.Next(4) == 0 ? (byte)random.Next(5) : (t == 255 ? (byte)0 : t);
            truth.AsSpan(i, run).Fill(t);
            predicted.AsSpan(i, run).Fill(p);
            i += run;
        }

        var expected = new long[5, 5];
        for (var i = 0; i < length; i++)
        {
            if (truth[i] != 255)
            {
                expected[truth[i], predicted[i]]++;
            }
        }

        var matrix = new ConfusionMatrix(5);
        matrix.Accumulate(truth, predicted, 64);

        for (var t = 0; t < 5; t++)
        {
            for (var p = 0; p < 5; p++)
            {
                Assert.Equal(expected[t, p], matrix[t, p]);
            }
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(255)]
    public void Accumulate_InvalidValueInAgreedUniformRun_Throws(byte value)
    {
        // Truth and prediction agree on a whole run of an invalid value (a prediction can never be 255 or >= 5).
        var truth = new byte[4096];
        var predicted = new byte[4096];
        truth.AsSpan(1024, 1024).Fill(value);
        predicted.AsSpan(1024, 1024).Fill(value);
        var matrix = new ConfusionMatrix(5);

        var error = Assert.Throws<InvalidMaskException>(() => matrix.Accumulate(truth, predicted, 64));

        Assert.Equal((value, 0, 16), (error.Value, error.X, error.Y));
        Assert.Equal(0, matrix.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32 * 300)]
    [InlineData(32 * 300 + 5)]
    public void Accumulate_OutOfRangePrediction_ThrowsWithPositionAndLeavesMatrixUnchanged(int badIndex)
    {
        var truth = new byte[32 * 301];
        var predicted = new byte[32 * 301];
        truth.AsSpan().Fill(1);
        predicted.AsSpan().Fill(1);
        predicted[badIndex] = 7;
        var matrix = new ConfusionMatrix(5);
        matrix.Accumulate(truth, truth, 32);

        var error = Assert.Throws<InvalidMaskException>(() => matrix.Accumulate(truth, predicted, 32));

        Assert.Equal(7, error.Value);
        Assert.Equal(badIndex % 32, error.X);
        Assert.Equal(badIndex / 32, error.Y);
        Assert.Contains($"Predicted mask value 7 at (x={badIndex % 32}, y={badIndex / 32})", error.Message, StringComparison.Ordinal);
        Assert.Equal(32 * 301, matrix.Total);
    }

    [Fact]
    public void Accumulate_OutOfRangeGroundTruth_ThrowsNamingGroundTruth()
    {
        byte[] truth = [0, 1, 2, 3, 4, 9, 0, 0];
        var predicted = new byte[8];
        var matrix = new ConfusionMatrix(5);

        var error = Assert.Throws<InvalidMaskException>(() => matrix.Accumulate(truth, predicted, 4));

        Assert.Equal("Ground-truth mask value 9 at (x=1, y=1) is out of range: classes are 0..4.", error.Message);
        Assert.Equal(0, matrix.Total);
    }

    [Fact]
    public void Accumulate_MismatchedSizes_Throws()
    {
        var matrix = new ConfusionMatrix(5);
        Assert.Throws<ArgumentException>(() => matrix.Accumulate(new Mask(4, 2), new Mask(2, 4)));
    }

    [Fact]
    public void Constructor_IgnoreIndexThatIsAClass_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(5, ignoreIndex: 3));
    }

    [Fact]
    public void Add_TwoMatrices_SumsCounts()
    {
        var a = new ConfusionMatrix(5);
        var b = new ConfusionMatrix(5);
        a.Accumulate(new byte[] { 1, 2 }, new byte[] { 1, 1 }, 2);
        b.Accumulate(new byte[] { 2, 2 }, new byte[] { 2, 1 }, 2);

        a.Add(b);

        Assert.Equal(1, a[1, 1]);
        Assert.Equal(2, a[2, 1]);
        Assert.Equal(1, a[2, 2]);
    }
}
