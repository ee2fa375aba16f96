using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.OpenCv;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class DatasetRendererTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-synth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Render_SmallDataset_PassesTheFormatCheck()
    {
        DatasetRenderer.Render(_dir, 20, 128, 72, seed: 9, threads: 2);

        var splits = new[] { "train", "val", "test" }.ToDictionary(s => s, s => File.ReadAllLines(Path.Combine(_dir, s + ".txt")));
        var all = splits.Values.SelectMany(x => x).ToArray();
        Assert.Equal(20, all.Length);
        Assert.Equal(20, all.Distinct().Count());
        Assert.Equal(16, splits["train"].Length);
        Assert.Equal(2, splits["val"].Length);
        Assert.Equal(2, splits["test"].Length);
        foreach (var lines in splits.Values)
        {
            Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
        }

        foreach (var stem in all)
        {
            var image = CvImage.Read(Path.Combine(_dir, "images", stem + ".jpg"), ImageReadMode.Unchanged);
            var mask = PngTestReader.Read(Path.Combine(_dir, "masks", stem + ".png"));
            Assert.Equal((128, 72, 3), (image.Width, image.Height, image.Channels));
            Assert.Equal((128, 72, 1), (mask.Width, mask.Height, mask.Channels));
            Assert.All(mask.Pixels, v => Assert.InRange(v, 0, ApplianceClasses.Count - 1));
        }

        // The mask file holds exactly the rendered mask; the JPEG (decoded by OpenCV) is close to the rendered image,
        // channel order included.
        var (rendered, renderedMask) = DatasetRenderer.RenderOne(9, 4, 128, 72);
        var file = PngTestReader.Read(Path.Combine(_dir, "masks", SyntheticDataset.Stem(4) + ".png"));
        Assert.Equal(renderedMask.Pixels.ToArray(), file.Pixels);
        var decoded = CvImage.Read(Path.Combine(_dir, "images", SyntheticDataset.Stem(4) + ".jpg"));
        double diff = 0;
        for (var i = 0; i < rendered.ByteCount; i++)
        {
            diff += Math.Abs(rendered.Data[i] - decoded.Data[i]);
        }

        Assert.True(diff / rendered.ByteCount < 5, $"mean absolute difference {diff / rendered.ByteCount:F2}");
    }

    [Fact]
    public void Render_ClassesJson_IdentityMappingInTheSharedShape()
    {
        DatasetRenderer.Render(_dir, 2, 64, 48, seed: 1, threads: 1);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "classes.json")));
        var root = doc.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().ToArray();
        Assert.Equal(ApplianceClasses.Count, classes.Length);
        for (var i = 0; i < classes.Length; i++)
        {
            Assert.Equal(i, classes[i].GetProperty("index").GetInt32());
            Assert.Equal(ApplianceClasses.Get(i).Name, classes[i].GetProperty("name").GetString());
        }

        Assert.Equal(JsonValueKind.Null, root.GetProperty("ignore_label_in_source").ValueKind);
        var mapping = root.GetProperty("proposed_mapping").EnumerateArray().ToArray();
        Assert.Equal(ApplianceClasses.Count, mapping.Length);
        Assert.All(mapping, m => Assert.Equal(m.GetProperty("source_index").GetInt32(), m.GetProperty("appliance_index").GetInt32()));
        Assert.All(mapping, m => Assert.Equal(m.GetProperty("source_name").GetString(), m.GetProperty("appliance_name").GetString()));
        Assert.Empty(root.GetProperty("unlabelled_appliance_classes").EnumerateObject());
    }
}
