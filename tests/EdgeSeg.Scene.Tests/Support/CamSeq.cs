using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Scene.Tests.Support;

/// <summary>The shared camseq01 ground truth, mapped to appliance classes with the dataset's proposed mapping.</summary>
internal static class CamSeq
{
    public static string Folder => Path.Combine(RepoPaths.RequireSharedData(), "camseq01");

    /// <summary>train.txt then val.txt: the sequence's frames in temporal order (15 Hz).</summary>
    public static IReadOnlyList<string> Stems() =>
    [
        .. File.ReadAllLines(Path.Combine(Folder, "train.txt")).Concat(File.ReadAllLines(Path.Combine(Folder, "val.txt")))
            .Where(s => s.Length > 0).Order(StringComparer.Ordinal),
    ];

    public static ClassMap LoadClassMap()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "classes.json")));
        var root = doc.RootElement;
        var mapping = root.GetProperty("proposed_mapping").EnumerateArray().ToDictionary(
            e => e.GetProperty("source_index").GetInt32(),
            e => (ApplianceClass)e.GetProperty("appliance_index").GetInt32());
        return new ClassMap(root.GetProperty("classes").GetArrayLength(), mapping);
    }

    public static Mask LoadMask(string stem, ClassMap map)
    {
        var (width, height, pixels) = GrayPng.Read(Path.Combine(Folder, "masks", stem + ".png"));
        map.Apply(pixels, pixels, width);
        return new Mask(width, height, pixels);
    }
}
