using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Reads a model card from a JSON tree, naming the JSON path of every field it rejects.</summary>
internal sealed class ModelCardReader(string source)
{
    public ModelCard Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error("(document)", "must be a JSON object");
        }

        var name = OptionalString(root, "name", "name") ?? "unnamed";
        var input = ReadInput(Required(root, "input", "input", JsonValueKind.Object));
        var outputsElement = Required(root, "outputs", "outputs", JsonValueKind.Array);
        var outputs = new List<ModelCardOutput>();
        var index = 0;
        foreach (var item in outputsElement.EnumerateArray())
        {
            outputs.Add(ReadOutput(item, $"outputs[{index}]"));
            index++;
        }

        if (outputs.Count == 0)
        {
            throw Error("outputs", "must list at least one output");
        }

        var duplicate = outputs.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Error("outputs", $"output '{duplicate.Key}' is listed twice");
        }

        var precedence = ModelCard.DefaultPrecedence;
        if (root.TryGetProperty("precedence", out var precedenceElement))
        {
            precedence = ReadPrecedence(precedenceElement);
        }

        return new ModelCard { Name = name, Input = input, Outputs = outputs, Precedence = precedence };
    }

    private ModelCardInput ReadInput(JsonElement e)
    {
        var name = RequiredString(e, "name", "input.name");
        var layout = OptionalString(e, "layout", "input.layout") ?? "NCHW";
        if (!string.Equals(layout, "NCHW", StringComparison.OrdinalIgnoreCase))
        {
            throw Error("input.layout", $"'{layout}' is not supported; only NCHW is");
        }

        var colorText = OptionalString(e, "colorOrder", "input.colorOrder") ?? "RGB";
        var colorOrder = colorText.ToUpperInvariant() switch
        {
            "RGB" => ColorOrder.Rgb,
            "BGR" => ColorOrder.Bgr,
            _ => throw Error("input.colorOrder", $"'{colorText}' is not RGB or BGR"),
        };
        var mean = ReadTriple(e, "mean", "input.mean", 0f, allowZero: true);
        var std = ReadTriple(e, "std", "input.std", 1f, allowZero: false);
        var width = OptionalInt(e, "width", "input.width");
        var height = OptionalInt(e, "height", "input.height");
        var multipleOf = OptionalInt(e, "multipleOf", "input.multipleOf");
        var workingHeight = OptionalInt(e, "workingHeight", "input.workingHeight");
        if ((width is null) != (height is null))
        {
            throw Error(width is null ? "input.width" : "input.height", "width and height are given together, or both left out for a dynamic input");
        }

        if (width is null && multipleOf is null)
        {
            throw Error("input.multipleOf", "a dynamic input (no width and height) must give multipleOf (e.g. 32)");
        }

        if (width is <= 0 or > 16384)
        {
            throw Error("input.width", $"{width} is not a pixel count between 1 and 16384");
        }

        if (height is <= 0 or > 16384)
        {
            throw Error("input.height", $"{height} is not a pixel count between 1 and 16384");
        }

        if (workingHeight is not null && width is not null)
        {
            throw Error("input.workingHeight", "applies to a dynamic input only (leave out width and height, or workingHeight)");
        }

        if (workingHeight is <= 0 or > 16384)
        {
            throw Error("input.workingHeight", $"{workingHeight} is not a pixel count between 1 and 16384");
        }

        if (multipleOf is <= 0 or > 1024)
        {
            throw Error("input.multipleOf", $"{multipleOf} is not between 1 and 1024");
        }

        var resizeText = OptionalString(e, "resize", "input.resize") ?? "stretch";
        var resize = resizeText.ToLowerInvariant() switch
        {
            "stretch" => ResizePolicy.Stretch,
            "letterbox" => ResizePolicy.Letterbox,
            _ => throw Error("input.resize", $"'{resizeText}' is not stretch or letterbox"),
        };
        var pad = OptionalInt(e, "padValue", "input.padValue") ?? 0;
        if (pad is < 0 or > 255)
        {
            throw Error("input.padValue", $"{pad} is not a pixel value 0..255");
        }

        return new ModelCardInput
        {
            Name = name,
            Layout = "NCHW",
            ColorOrder = colorOrder,
            Mean = mean,
            Std = std,
            Width = width,
            Height = height,
            MultipleOf = multipleOf,
            WorkingHeight = workingHeight,
            Resize = resize,
            PadValue = (byte)pad,
        };
    }

    private ModelCardOutput ReadOutput(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "must be an object with name, kind and classes");
        }

        var name = RequiredString(e, "name", path + ".name");
        var kindText = OptionalString(e, "kind", path + ".kind") ?? "logits";
        var kind = kindText.ToLowerInvariant() switch
        {
            "logits" => OutputKind.Logits,
            "probabilities" => OutputKind.Probabilities,
            "labels" => OutputKind.Labels,
            _ => throw Error(path + ".kind", $"'{kindText}' is not logits, probabilities or labels"),
        };
        var classesElement = Required(e, "classes", path + ".classes", JsonValueKind.Array);
        var classes = new List<string>();
        foreach (var c in classesElement.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(c.GetString()))
            {
                throw Error($"{path}.classes[{classes.Count}]", "must be a non-empty string");
            }

            classes.Add(c.GetString()!);
        }

        if (classes.Count is 0 or > 256)
        {
            throw Error(path + ".classes", $"has {classes.Count} names; a model output has 1 to 256 classes");
        }

        var repeated = classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw Error(path + ".classes", $"'{repeated.Key}' is listed twice");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("map", out var mapElement))
        {
            if (mapElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(path + ".map", "must be an object of model class name to appliance class name");
            }

            foreach (var property in mapElement.EnumerateObject())
            {
                var field = $"{path}.map.{property.Name}";
                if (!classes.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw Error(field, $"'{property.Name}' is not one of the output's classes ({string.Join(", ", classes)})");
                }

                var target = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                if (!ApplianceClasses.TryParse(target, out _))
                {
                    throw Error(field, $"'{property.Value}' is not an appliance class ({string.Join(", ", ApplianceClasses.All.Select(c => c.Name))})");
                }

                map[property.Name] = target!;
            }
        }

        return new ModelCardOutput { Name = name, Kind = kind, Classes = classes, Map = map };
    }

    private ApplianceClass[] ReadPrecedence(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw Error("precedence", "must be an array of appliance class names");
        }

        var list = new List<ApplianceClass>();
        foreach (var item in e.EnumerateArray())
        {
            var field = $"precedence[{list.Count}]";
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!ApplianceClasses.TryParse(text, out var cls))
            {
                throw Error(field, $"'{item}' is not an appliance class ({string.Join(", ", ApplianceClasses.All.Select(c => c.Name))})");
            }

            if (list.Contains(cls))
            {
                throw Error(field, $"'{text}' is listed twice");
            }

            list.Add(cls);
        }

        return [.. list];
    }

    private float[] ReadTriple(JsonElement parent, string property, string path, float fallback, bool allowZero)
    {
        if (!parent.TryGetProperty(property, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return [fallback, fallback, fallback];
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3)
        {
            throw Error(path, "must be an array of 3 numbers, one per channel in the tensor's channel order");
        }

        var values = new float[3];
        for (var i = 0; i < 3; i++)
        {
            var item = e[i];
            if (item.ValueKind != JsonValueKind.Number || !float.IsFinite(item.GetSingle()))
            {
                throw Error($"{path}[{i}]", $"'{item}' is not a finite number");
            }

            values[i] = item.GetSingle();
            if (!allowZero && values[i] <= 0f)
            {
                throw Error($"{path}[{i}]", $"{values[i].ToString(CultureInfo.InvariantCulture)} must be greater than 0");
            }
        }

        return values;
    }

    private JsonElement Required(JsonElement parent, string property, string path, JsonValueKind kind)
    {
        if (!parent.TryGetProperty(property, out var e))
        {
            throw Error(path, "is required");
        }

        if (e.ValueKind != kind)
        {
            throw Error(path, $"must be a JSON {kind.ToString().ToLowerInvariant()}, not {e.ValueKind.ToString().ToLowerInvariant()}");
        }

        return e;
    }

    private string RequiredString(JsonElement parent, string property, string path)
    {
        var value = Required(parent, property, path, JsonValueKind.String).GetString();
        return string.IsNullOrWhiteSpace(value) ? throw Error(path, "must not be empty") : value;
    }

    private string? OptionalString(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString() : throw Error(path, $"must be a string, not {e.ValueKind.ToString().ToLowerInvariant()}");
    }

    private int? OptionalInt(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.String && string.Equals(e.GetString(), "dynamic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
            ? value
            : throw Error(path, $"'{e}' is not a whole number");
    }

    private ModelCardException Error(string field, string problem) => new(source, field, problem);
}
