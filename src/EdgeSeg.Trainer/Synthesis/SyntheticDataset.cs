using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The files around rendered images that make a folder a dataset in the project's format: <c>classes.json</c>
/// (source classes = appliance classes, identity mapping, no ignore label, nothing unlabelled) and the split lists.
/// </summary>
internal static class SyntheticDataset
{
    /// <summary>File stem of dataset image <paramref name="index"/>.</summary>
    public static string Stem(int index) => string.Create(CultureInfo.InvariantCulture, $"synth_{index:D6}");

    /// <summary>File stem of video frame <paramref name="frame"/> (its mask is <c>masks/&lt;stem&gt;.png</c>).</summary>
    public static string FrameStem(int frame) => frame.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Which split image <paramref name="index"/> belongs to: 80% train, 10% val, 10% test, interleaved.</summary>
    public static string SplitOf(int index) => (index % 10) switch
    {
        8 => "val",
        9 => "test",
        _ => "train",
    };

    /// <summary>Writes train.txt, val.txt and test.txt for images 0..count-1 (stems sorted, one per line).</summary>
    public static void WriteSplits(string directory, int count)
    {
        foreach (var split in (string[])["train", "val", "test"])
        {
            var lines = Enumerable.Range(0, count).Where(i => SplitOf(i) == split).Select(Stem);
            File.WriteAllText(Path.Combine(directory, split + ".txt"), string.Concat(lines.Select(l => l + "\n")));
        }
    }

    /// <summary>Writes classes.json in the shape of the shared datasets' files, with an identity mapping.</summary>
    public static void WriteClassesJson(string directory, string variant, ulong seed, int width, int height)
    {
        using var stream = File.Create(Path.Combine(directory, "classes.json"));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("dataset", "synthetic");
        json.WriteString("variant", variant);
        json.WriteStartObject("source");
        json.WriteString("generator", "edgeseg-train synth");
        json.WriteNumber("seed", seed);
        json.WriteString("size", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"));
        json.WriteEndObject();
        json.WriteString("mask_encoding", "single-channel 8-bit PNG, pixel value = appliance class index (exact: a pixel belongs to the object covering its centre)");
        json.WriteStartArray("classes");
        foreach (var c in ApplianceClasses.All)
        {
            json.WriteStartObject();
            json.WriteNumber("index", (int)c.Class);
            json.WriteString("name", c.Name);
            json.WriteStartArray("rgb");
            json.WriteNumberValue(c.Color.R);
            json.WriteNumberValue(c.Color.G);
            json.WriteNumberValue(c.Color.B);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("ignore_label_in_source");
        json.WriteStartArray("appliance_classes");
        foreach (var c in ApplianceClasses.All)
        {
            json.WriteStartObject();
            json.WriteNumber("index", (int)c.Class);
            json.WriteString("name", c.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("proposed_mapping");
        foreach (var c in ApplianceClasses.All)
        {
            json.WriteStartObject();
            json.WriteNumber("source_index", (int)c.Class);
            json.WriteString("source_name", c.Name);
            json.WriteNumber("appliance_index", (int)c.Class);
            json.WriteString("appliance_name", c.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("unlabelled_appliance_classes");
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
