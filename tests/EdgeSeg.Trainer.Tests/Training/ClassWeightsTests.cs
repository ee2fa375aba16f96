using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Training;

namespace EdgeSeg.Trainer.Tests.Training;

public sealed class ClassWeightsTests
{
    private static readonly LabelSpace Space = LabelSpace.For([]);

    // Image A (10 px): 6 background, 4 road. Image B (10 px): 5 background, 3 vehicle, 2 ignored.
    private static ClassPixelCounts Counts()
    {
        var counts = new ClassPixelCounts();
        counts.Add(new byte[] { 0, 0, 0, 0, 0, 0, 1, 1, 1, 1 }, Space);
        counts.Add(new byte[] { 0, 0, 0, 0, 0, 2, 2, 2, 255, 255 }, Space);
        return counts;
    }

    [Fact]
    public void Add_TwoImages_CountsPixelsAndPresentImagePixels()
    {
        var counts = Counts();

        Assert.Equal(new long[] { 11, 4, 3, 0, 0 }, counts.Pixels);
        // Background occurs in both images (10 + 8 labelled pixels), road in A (10), vehicle in B (8).
        Assert.Equal(new long[] { 18, 10, 8, 0, 0 }, counts.PresentImagePixels);
        Assert.Equal(18, counts.Total);
    }

    [Fact]
    public void MedianFrequency_HandComputed()
    {
        // freq: background 11/18, road 4/10, vehicle 3/8; median of {0.6111, 0.4, 0.375} = 0.4.
        var w = ClassWeights.Compute(ClassWeighting.MedianFrequency, Counts());

        Assert.Equal(0.4 / (11.0 / 18), w[0], 12);
        Assert.Equal(1.0, w[1], 12);
        Assert.Equal(0.4 / 0.375, w[2], 12);
        Assert.Equal(1.0, w[3]);
        Assert.Equal(1.0, w[4]);
    }

    [Fact]
    public void Enet_HandComputed()
    {
        var w = ClassWeights.Compute(ClassWeighting.Enet, Counts());

        Assert.Equal(1 / Math.Log(1.02 + (11.0 / 18)), w[0], 12);
        Assert.Equal(1 / Math.Log(1.02 + (4.0 / 18)), w[1], 12);
        Assert.Equal(1 / Math.Log(1.02 + (3.0 / 18)), w[2], 12);
        Assert.Equal(1 / Math.Log(1.02), w[3], 12);
    }

    [Fact]
    public void NoneAndGiven_ReturnOnesAndTheGivenValues()
    {
        Assert.Equal([1.0, 1, 1, 1, 1], ClassWeights.Compute(ClassWeighting.None, Counts()));
        Assert.Equal([0.5, 2, 3, 4, 5], ClassWeights.Parse("0.5, 2,3,4,5"));
        Assert.Throws<FormatException>(() => ClassWeights.Parse("1,2,3"));
        Assert.Throws<FormatException>(() => ClassWeights.Parse("1,2,x,4,5"));
    }

    [Fact]
    public void Add_PartialLabel_CountsForItsCarrier()
    {
        var space = LabelSpace.For([CamVidLike()]);
        var counts = new ClassPixelCounts();

        counts.Add(new byte[] { 5, 5, 0 }, space);

        Assert.Equal(new long[] { 1, 2, 0, 0, 0 }, counts.Pixels);
    }

    private static DatasetDescription CamVidLike() => DatasetDescription.Parse(
        "{\"classes\":[{\"index\":0,\"name\":\"a\"},{\"index\":1,\"name\":\"r\"}],"
        + "\"mapping\":[{\"source_index\":0,\"appliance_index\":0},{\"source_index\":1,\"appliance_index\":1}],"
        + "\"unlabelled_appliance_classes\":{\"lane_marking\":\"road\"}}",
        "c.json",
        "c");
}
