using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Tests.Datasets;

public sealed class DatasetLoaderTests
{
    private static DatasetLoadResult Check(TestDataset data, string split = "train", bool keep = false)
    {
        var dataset = Dataset.Open(data.Directory);
        var space = LabelSpace.For([dataset.Description]);
        return DatasetLoader.Load([new SplitRequest(dataset, 0, split)], space, null, keep, threads: 2);
    }

    [Fact]
    public void Load_ValidDataset_MapsSourceValuesAndIgnoreLabel()
    {
        using var data = new TestDataset(sourceClasses: 6, ignoreLabel: 5);
        data.AddSample("a", 6, 2, (x, _) => (byte)x);
        data.WriteSplit("train", "a");

        var result = Check(data, keep: true);

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var sample = Assert.Single(result.Samples[0]);
        // Source i -> appliance i % 4; source 5 is the ignore label.
        Assert.Equal(new byte[] { 0, 1, 2, 3, 0, 255, 0, 1, 2, 3, 0, 255 }, sample.Labels);
        Assert.Equal((6, 2), (sample.Width, sample.Height));
    }

    [Fact]
    public void Load_EveryKindOfProblem_ListsThemAllWithTheirFiles()
    {
        using var data = new TestDataset(sourceClasses: 4, ignoreLabel: 9);
        data.AddSample("good", 8, 8, (x, y) => (byte)((x + y) % 4));

        data.AddSample("no-image", 8, 8, (_, _) => 0);
        File.Delete(data.ImagePath("no-image"));

        data.AddSample("no-mask", 8, 8, (_, _) => 0);
        File.Delete(data.MaskPath("no-mask"));

        data.AddSample("sizes", 8, 8, (_, _) => 1);
        CvImage.Write(data.MaskPath("sizes"), new ImageBuffer(8, 6, 1));

        data.AddSample("colour-mask", 8, 8, (_, _) => 1);
        CvImage.Write(data.MaskPath("colour-mask"), new ImageBuffer(8, 8, 3));

        // 4 and 200 are neither classes (0..3) nor the ignore label (9); 9 itself is fine.
        data.AddSample("values", 8, 8, (x, y) => (byte)(x == 2 && y == 1 ? 200 : x == 5 ? 4 : x == 6 ? 9 : 0));

        data.AddSample("corrupt", 8, 8, (_, _) => 0);
        File.WriteAllBytes(data.ImagePath("corrupt"), [1, 2, 3, 4, 5]);

        data.WriteSplit("train", "good", "no-image", "no-mask", "sizes", "colour-mask", "values", "corrupt", "good", "../escape");

        var result = Check(data);

        Assert.False(result.Ok);
        var byFile = result.Problems.ToLookup(p => Path.GetFileName(p.File) + (p.File.Contains("/masks/", StringComparison.Ordinal) ? ":mask" : string.Empty));
        Assert.Contains("image missing", Assert.Single(byFile["no-image.jpg"]).Message, StringComparison.Ordinal);
        Assert.Contains("mask missing", Assert.Single(byFile["no-mask.png:mask"]).Message, StringComparison.Ordinal);
        Assert.Contains("mask is 8x6 but its image sizes.png is 8x8", Assert.Single(byFile["sizes.png:mask"]).Message, StringComparison.Ordinal);
        Assert.Contains("mask has 3 channels", Assert.Single(byFile["colour-mask.png:mask"]).Message, StringComparison.Ordinal);
        var values = Assert.Single(byFile["values.png:mask"]).Message;
        Assert.Contains("4 (8 px, first at x=5, y=0)", values, StringComparison.Ordinal);
        Assert.Contains("200 (1 px, first at x=2, y=1)", values, StringComparison.Ordinal);
        Assert.DoesNotContain(" 9 (", values, StringComparison.Ordinal);
        Assert.Contains("cannot be decoded", Assert.Single(byFile["corrupt.png"]).Message, StringComparison.Ordinal);
        var split = byFile["train.txt"].Select(p => p.Message).ToList();
        Assert.Contains(split, m => m.Contains("line 8: 'good' is listed twice", StringComparison.Ordinal));
        Assert.Contains(split, m => m.Contains("line 9: '../escape' is not a stem", StringComparison.Ordinal));
        Assert.Equal(8, result.Problems.Count);
        Assert.Equal(7, result.Checked);
    }

    [Fact]
    public void Load_MissingOrEmptySplit_IsAProblem()
    {
        using var data = new TestDataset();
        data.WriteSplit("val");

        var missing = Check(data, "train");
        var empty = Check(data, "val");

        Assert.Contains("split list missing", Assert.Single(missing.Problems).Message, StringComparison.Ordinal);
        Assert.Contains("split list is empty", Assert.Single(empty.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithSize_ResizesImageAndLabelsNearestOnly()
    {
        using var data = new TestDataset(sourceClasses: 4, ignoreLabel: null);
        data.AddSample("a", 8, 4, (x, _) => (byte)(x / 2));
        data.WriteSplit("train", "a");
        var dataset = Dataset.Open(data.Directory);

        var result = DatasetLoader.Load([new SplitRequest(dataset, 0, "train")], LabelSpace.For([dataset.Description]), (4, 2), true, 1);

        var sample = Assert.Single(result.Samples[0]);
        Assert.Equal((4, 2), (sample.Image.Width, sample.Image.Height));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 0, 1, 2, 3 }, sample.Labels);
        // Area shrinking averages 2x2 blocks of one colour each: the image keeps the colour of its label.
        for (var x = 0; x < 4; x++)
        {
            Assert.Equal(40 * x, sample.Image.Pixels[x * 3]);
        }
    }

    [Fact]
    public void Load_DatasetWithUnlabelledClass_CarrierBecomesPartialLabel()
    {
        using var data = new TestDataset(sourceClasses: 4, ignoreLabel: null, unlabelled: "{\"lane_marking\":\"road\"}");
        data.AddSample("a", 4, 1, (x, _) => (byte)x);
        data.WriteSplit("train", "a");
        var dataset = Dataset.Open(data.Directory);
        var space = LabelSpace.For([dataset.Description]);

        var result = DatasetLoader.Load([new SplitRequest(dataset, 0, "train")], space, null, true, 1);

        var sample = Assert.Single(result.Samples[0]);
        Assert.Equal(6, space.CodeCount);
        Assert.Equal(0b10010u, space.ClassSets[5]);
        Assert.Equal(new byte[] { 0, 5, 2, 3 }, sample.Labels);
    }
}
