using System.Text.Json;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// A model card: how to feed a segmentation model and how to read its outputs as appliance classes. Read from the
/// JSON file beside the model (same stem, <c>.json</c>) or from the model's metadata under <see cref="MetadataKey"/>.
/// Immutable; the format is documented in README.md ("Model cards").
/// </summary>
public sealed partial class ModelCard
{
    /// <summary>The ONNX metadata key whose value is the card's JSON, for models exported by the trainer.</summary>
    public const string MetadataKey = "edgeseg.card";

    /// <summary>The precedence used when a card gives none: lane markings over people over vehicles over road.</summary>
    public static IReadOnlyList<ApplianceClass> DefaultPrecedence { get; } =
        [ApplianceClass.LaneMarking, ApplianceClass.Pedestrian, ApplianceClass.Vehicle, ApplianceClass.Road, ApplianceClass.Background];

    /// <summary>A display name for the model.</summary>
    public required string Name { get; init; }

    /// <summary>How frames become the input tensor.</summary>
    public required ModelCardInput Input { get; init; }

    /// <summary>The outputs read, at least one.</summary>
    public required IReadOnlyList<ModelCardOutput> Outputs { get; init; }

    /// <summary>
    /// Appliance classes from highest to lowest precedence: each pixel takes the highest-precedence non-background
    /// class any output assigns it. Classes left out rank below those listed; background is always lowest.
    /// </summary>
    public IReadOnlyList<ApplianceClass> Precedence { get; init; } = DefaultPrecedence;

    /// <summary>The card file beside <paramref name="modelPath"/>: same folder and stem, extension <c>.json</c>.</summary>
    public static string PathBeside(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return Path.ChangeExtension(modelPath, ".json");
    }

    /// <summary>Reads and validates the card in the file <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelCardException">The card is malformed; the message names the field.</exception>
    public static ModelCard Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model card not found: {Path.GetFullPath(path)}", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates a card.</summary>
    /// <param name="json">The card's JSON text.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="ModelCardException">The card is malformed; the message names the field.</exception>
    public static ModelCard Parse(string json, string source = "(text)")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ModelCardException(source, "(document)", $"not valid JSON: {ex.Message}");
        }

        using (document)
        {
            return new ModelCardReader(source).Read(document.RootElement);
        }
    }

    /// <summary>The rank of <paramref name="cls"/> under <see cref="Precedence"/>: higher wins; background is 0.</summary>
    public int RankOf(ApplianceClass cls)
    {
        if (cls == ApplianceClass.Background)
        {
            return 0;
        }

        for (var i = 0; i < Precedence.Count; i++)
        {
            if (Precedence[i] == cls)
            {
                return ApplianceClasses.Count + 1 - i;
            }
        }

        return 1;
    }
}
