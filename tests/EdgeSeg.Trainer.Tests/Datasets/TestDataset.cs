using System.Text.Json;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Trainer.Tests.Datasets;

/// <summary>A small dataset folder written to a temporary directory by a test; deleted on dispose.</summary>
internal sealed class TestDataset : IDisposable
{
    public TestDataset(int sourceClasses = 4, int? ignoreLabel = 3, string unlabelled = "{}", string name = "tiny")
    {
        Directory = Path.Combine(Path.GetTempPath(), "edgeseg-trainapp-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "images"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "masks"));
        // Source classes map onto appliance classes as i -> i % 4 (so lane_marking is never labelled by default).
        var classes = Enumerable.Range(0, sourceClasses).Select(i => new { index = i, name = $"c{i}" });
        var mapping = Enumerable.Range(0, sourceClasses).Select(i => new { source_index = i, appliance_index = i % 4 });
        var json = JsonSerializer.Serialize(new { dataset = name, classes, proposed_mapping = mapping, ignore_label_in_source = ignoreLabel });
        // Splice the unlabelled map in as raw JSON so tests can pass any shape.
        json = json[..^1] + $",\"unlabelled_appliance_classes\":{unlabelled}}}";
        File.WriteAllText(Path.Combine(Directory, "classes.json"), json);
    }

    public string Directory { get; }

    /// <summary>Writes an image whose colour encodes the mask value, and the mask itself.</summary>
    public void AddSample(string stem, int width, int height, Func<int, int, byte> label)
    {
        var mask = new ImageBuffer(width, height, 1);
        var image = new ImageBuffer(width, height, 3);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = label(x, y);
                mask.Pixels[(y * width) + x] = v;
                image.Pixels[((y * width) + x) * 3] = (byte)(40 * v);
                image.Pixels[((y * width) + x) * 3 + 1] = (byte)(255 - (40 * v));
                image.Pixels[((y * width) + x) * 3 + 2] = 128;
            }
        }

        CvImage.Write(ImagePath(stem), image);
        CvImage.Write(MaskPath(stem), mask);
    }

    public string ImagePath(string stem) => Path.Combine(Directory, "images", stem + ".png");

    public string MaskPath(string stem) => Path.Combine(Directory, "masks", stem + ".png");

    public void WriteSplit(string split, params string[] stems) =>
        File.WriteAllLines(Path.Combine(Directory, split + ".txt"), stems);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
