using System.Text.Json;
using EdgeSeg.Core.Timing;

namespace EdgeSeg.Service.Publishing;

/// <summary>
/// Strict validation of command payloads: a JSON object with only the known fields of the named command, each of
/// the right type and range. Anything else is rejected with a reason and never executed.
/// </summary>
internal static class CommandParser
{
    /// <summary>Largest accepted command payload.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>The command names, as topic levels.</summary>
    public static readonly IReadOnlyList<string> Names = ["snapshot", "set-rate", "reload-model"];

    /// <summary>Parses command <paramref name="name"/> with <paramref name="payload"/>; on failure returns null and the reason.</summary>
    public static ServiceCommand? TryParse(string name, ReadOnlySpan<byte> payload, IReadOnlyList<string> sources, out string? error, out string? id)
    {
        id = null;
        error = null;
        if (!Names.Contains(name))
        {
            error = $"unknown command '{name}'; expected one of {string.Join(", ", Names)}";
            return null;
        }

        if (payload.Length > MaxPayloadBytes)
        {
            error = $"payload of {payload.Length} bytes is larger than {MaxPayloadBytes}";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.IsEmpty ? "{}"u8.ToArray() : payload.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            error = $"payload is not valid JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "payload must be a JSON object";
                return null;
            }

            var allowed = name switch
            {
                "snapshot" => new[] { "id", "source" },
                "set-rate" => ["id", "source", "stream", "fps"],
                _ => ["id", "path"],
            };
            foreach (var property in root.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    error = $"unknown field '{property.Name}' for {name}; allowed: {string.Join(", ", allowed)}";
                    return null;
                }
            }

            if (!OptionalString(root, "id", out id, out error))
            {
                return null;
            }

            switch (name)
            {
                case "snapshot":
                    if (!OptionalString(root, "source", out var snapshotSource, out error) || !KnownSource(snapshotSource, sources, required: false, out error))
                    {
                        return null;
                    }

                    return new SnapshotCommand(id, snapshotSource);
                case "set-rate":
                    if (!OptionalString(root, "source", out var source, out error) || !KnownSource(source, sources, required: true, out error))
                    {
                        return null;
                    }

                    if (!OptionalString(root, "stream", out var streamName, out error))
                    {
                        return null;
                    }

                    PublishedStream stream;
                    switch (streamName)
                    {
                        case "mask": stream = PublishedStream.Mask; break;
                        case "metrics": stream = PublishedStream.Metrics; break;
                        case "overlay": stream = PublishedStream.Overlay; break;
                        default:
                            error = $"'stream' must be mask, metrics or overlay, not {(streamName is null ? "missing" : $"'{streamName}'")}";
                            return null;
                    }

                    if (!root.TryGetProperty("fps", out var fpsElement))
                    {
                        error = $"'fps' is required (a number from {FrameRate.RangeText}, or null for every frame)";
                        return null;
                    }

                    double? fps = null;
                    if (fpsElement.ValueKind != JsonValueKind.Null)
                    {
                        if (fpsElement.ValueKind != JsonValueKind.Number || !fpsElement.TryGetDouble(out var value) || !FrameRate.IsValid(value))
                        {
                            error = $"'fps' must be a number from {FrameRate.RangeText} or null, not {fpsElement.GetRawText()}";
                            return null;
                        }

                        fps = value;
                    }

                    return new SetRateCommand(id, source!, stream, fps);
                default:
                    if (!OptionalString(root, "path", out var path, out error))
                    {
                        return null;
                    }

                    if (path is not null && (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal)))
                    {
                        error = "'path' must be a non-empty file path";
                        return null;
                    }

                    return new ReloadModelCommand(id, path);
            }
        }
    }

    private static bool OptionalString(JsonElement root, string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            // Absent and null mean the same for an optional field ({"path": null} is the configured model).
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"'{name}' must be a string, not {element.ValueKind.ToString().ToLowerInvariant()}";
            return false;
        }

        value = element.GetString();
        if (value!.Length > 256)
        {
            error = $"'{name}' is longer than 256 characters";
            return false;
        }

        return true;
    }

    private static bool KnownSource(string? source, IReadOnlyList<string> sources, bool required, out string? error)
    {
        error = null;
        if (source is null)
        {
            if (required)
            {
                error = "'source' is required";
            }

            return !required;
        }

        if (!sources.Contains(source, StringComparer.Ordinal))
        {
            error = $"unknown source '{source}'; this device runs {(sources.Count == 0 ? "none" : string.Join(", ", sources))}";
            return false;
        }

        return true;
    }
}
