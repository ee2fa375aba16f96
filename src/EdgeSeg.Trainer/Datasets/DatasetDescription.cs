using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// A dataset's <c>classes.json</c>: its own class list, the mapping onto the appliance classes, the ignore label,
/// and the appliance classes it does not label (each with the class whose label those pixels carry). Immutable.
/// </summary>
internal sealed class DatasetDescription
{
    /// <summary>The file name every dataset folder holds.</summary>
    public const string FileName = "classes.json";

    private DatasetDescription(
        string name,
        IReadOnlyList<string> sourceClasses,
        IReadOnlyDictionary<int, ApplianceClass> mapping,
        int? ignoreLabel,
        IReadOnlyDictionary<ApplianceClass, ApplianceClass> unlabelled)
    {
        Name = name;
        SourceClasses = sourceClasses;
        Mapping = mapping;
        IgnoreLabel = ignoreLabel;
        Unlabelled = unlabelled;
        Map = new ClassMap(sourceClasses.Count, mapping, ignoreLabel);
    }

    /// <summary>The dataset's name (<c>dataset</c>, else the folder name).</summary>
    public string Name { get; }

    /// <summary>The source class names, by source index.</summary>
    public IReadOnlyList<string> SourceClasses { get; }

    /// <summary>Source index to appliance class, for every source class except the ignore label.</summary>
    public IReadOnlyDictionary<int, ApplianceClass> Mapping { get; }

    /// <summary>The source value that means "not labelled" (not counted in training or evaluation), if any.</summary>
    public int? IgnoreLabel { get; }

    /// <summary>Appliance classes this dataset does not label, each with the appliance class whose label they carry.</summary>
    public IReadOnlyDictionary<ApplianceClass, ApplianceClass> Unlabelled { get; }

    /// <summary>The class map built from <see cref="Mapping"/> and <see cref="IgnoreLabel"/>.</summary>
    public ClassMap Map { get; }

    /// <summary>Whether <paramref name="value"/> may appear in this dataset's masks (a source class or the ignore label).</summary>
    public bool IsValidMaskValue(int value) => (uint)value < (uint)SourceClasses.Count || value == IgnoreLabel;

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="DatasetFormatException">The file is missing, not JSON, or a field is missing or wrong.</exception>
    public static DatasetDescription Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException($"{path}: not found; every dataset folder needs a {FileName} (see README.md, Datasets).");
        }

        var fallbackName = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "dataset";
        return Parse(File.ReadAllText(path), path, fallbackName);
    }

    /// <summary>Parses the JSON text of a classes.json; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="DatasetFormatException">The text is not JSON, or a field is missing or wrong.</exception>
    public static DatasetDescription Parse(string json, string source, string fallbackName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"{source}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "the top level must be a JSON object");
            }

            var name = root.TryGetProperty("dataset", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : fallbackName;
            var classes = ReadClasses(root, source);
            int? ignore = null;
            if (root.TryGetProperty("ignore_label_in_source", out var ig) && ig.ValueKind != JsonValueKind.Null)
            {
                if (!ig.TryGetInt32(out var value) || value is < 0 or > 255)
                {
                    throw Error(source, "ignore_label_in_source must be an integer 0..255 (a mask value) or null");
                }

                ignore = value;
            }

            var mapping = ReadMapping(root, source, classes, ignore);
            var unlabelled = ReadUnlabelled(root, source, mapping);
            return new DatasetDescription(name, classes, mapping, ignore, unlabelled);
        }
    }

    private static List<string> ReadClasses(JsonElement root, string source)
    {
        if (!root.TryGetProperty("classes", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw Error(source, "classes must be a non-empty array of { \"index\": i, \"name\": \"...\" }");
        }

        if (array.GetArrayLength() > 255)
        {
            throw Error(source, $"classes lists {array.GetArrayLength()} classes; masks are 8-bit, so at most 255 are possible");
        }

        var names = new string?[array.GetArrayLength()];
        var position = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("index", out var idx) || !idx.TryGetInt32(out var index)
                || !item.TryGetProperty("name", out var nm) || nm.ValueKind != JsonValueKind.String)
            {
                throw Error(source, $"classes[{position}] must be an object with an integer index and a string name");
            }

            if ((uint)index >= (uint)names.Length)
            {
                throw Error(source, $"classes[{position}] has index {index}; indices must be 0..{names.Length - 1} (one per class, no gaps)");
            }

            if (names[index] is not null)
            {
                throw Error(source, $"classes[{position}] repeats index {index}");
            }

            names[index] = nm.GetString();
            position++;
        }

        return [.. names.Select(s => s!)];
    }

    private static Dictionary<int, ApplianceClass> ReadMapping(JsonElement root, string source, List<string> classes, int? ignore)
    {
        // "mapping" is the documented name for user datasets; "proposed_mapping" is what the shared datasets carry.
        var field = root.TryGetProperty("mapping", out _) ? "mapping" : "proposed_mapping";
        if (!root.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, "mapping (or proposed_mapping) must be an array of { \"source_index\": i, \"appliance_name\": \"road\" }");
        }

        var mapping = new Dictionary<int, ApplianceClass>();
        var position = 0;
        foreach (var item in array.EnumerateArray())
        {
            var where = $"{field}[{position}]";
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("source_index", out var si) || !si.TryGetInt32(out var sourceIndex))
            {
                throw Error(source, $"{where} must be an object with an integer source_index");
            }

            if ((uint)sourceIndex >= (uint)classes.Count)
            {
                throw Error(source, $"{where}.source_index is {sourceIndex}, but classes are 0..{classes.Count - 1}");
            }

            ApplianceClass? byIndex = null;
            ApplianceClass? byName = null;
            if (item.TryGetProperty("appliance_index", out var ai))
            {
                if (!ai.TryGetInt32(out var a) || !ApplianceClasses.IsValid(a))
                {
                    throw Error(source, $"{where}.appliance_index must be an appliance class 0..{ApplianceClasses.Count - 1}");
                }

                byIndex = (ApplianceClass)a;
            }

            if (item.TryGetProperty("appliance_name", out var an))
            {
                if (an.ValueKind != JsonValueKind.String || !ApplianceClasses.TryParse(an.GetString(), out var c))
                {
                    throw Error(source, $"{where}.appliance_name must be one of {ClassNames()}");
                }

                byName = c;
            }

            var target = byIndex ?? byName ?? throw Error(source, $"{where} needs appliance_index or appliance_name");
            if (byIndex is { } bi && byName is { } bn && bi != bn)
            {
                throw Error(source, $"{where} has appliance_index {(int)bi} ({ApplianceClasses.NameOf(bi)}) but appliance_name {ApplianceClasses.NameOf(bn)}");
            }

            if (!mapping.TryAdd(sourceIndex, target))
            {
                throw Error(source, $"{where} maps source class {sourceIndex} a second time");
            }

            position++;
        }

        if (ignore is { } ig)
        {
            mapping.Remove(ig);
        }

        var missing = Enumerable.Range(0, classes.Count).Where(i => i != ignore && !mapping.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw Error(source, $"{field} has no appliance class for source class(es) "
                + string.Join(", ", missing.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i} ({classes[i]})"))));
        }

        return mapping;
    }

    private static Dictionary<ApplianceClass, ApplianceClass> ReadUnlabelled(JsonElement root, string source, Dictionary<int, ApplianceClass> mapping)
    {
        var result = new Dictionary<ApplianceClass, ApplianceClass>();
        if (!root.TryGetProperty("unlabelled_appliance_classes", out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, "unlabelled_appliance_classes must be an object such as { \"lane_marking\": \"road\" }");
        }

        foreach (var property in obj.EnumerateObject())
        {
            var where = $"unlabelled_appliance_classes.{property.Name}";
            if (!ApplianceClasses.TryParse(property.Name, out var unlabelled))
            {
                throw Error(source, $"{where}: '{property.Name}' is not an appliance class ({ClassNames()})");
            }

            if (property.Value.ValueKind != JsonValueKind.String || !ApplianceClasses.TryParse(property.Value.GetString(), out var carrier))
            {
                throw Error(source, $"{where} must name the appliance class whose label these pixels carry ({ClassNames()})");
            }

            if (carrier == unlabelled)
            {
                throw Error(source, $"{where}: a class cannot carry its own label");
            }

            if (mapping.ContainsValue(unlabelled))
            {
                throw Error(source, $"{where}: the mapping sends source classes to {property.Name}, so the dataset does label it");
            }

            result.Add(unlabelled, carrier);
        }

        foreach (var (unlabelled, carrier) in result)
        {
            if (result.ContainsKey(carrier))
            {
                throw Error(source, $"unlabelled_appliance_classes.{ApplianceClasses.NameOf(unlabelled)}: its carrier {ApplianceClasses.NameOf(carrier)} is itself unlabelled");
            }
        }

        return result;
    }

    private static string ClassNames() => string.Join(", ", ApplianceClasses.All.Select(c => c.Name));

    private static DatasetFormatException Error(string source, string what) => new($"{source}: {what}.");
}
