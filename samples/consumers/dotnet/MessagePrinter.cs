using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace EdgeSegSubscriber;

/// <summary>
/// Turns each received message into one line on <see cref="TextWriter"/>: the stream's name, the device (and source),
/// then a readable summary (<c>key=value</c> pairs), or with <c>--json</c> one JSON object with the payload in full.
/// </summary>
/// <remarks>Called from the client's receive loop, one message at a time, so lines keep the arrival order.</remarks>
internal sealed class MessagePrinter(TextWriter output, string prefix, bool json)
{
    // Quoted values keep quotes and apostrophes readable (the line is for people and scripts, not for HTML).
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] DefaultClassNames = ["background", "road", "vehicle", "pedestrian", "lane_marking"];

    // Class names per device, from its retained class list (the mask pixel values index it).
    private readonly Dictionary<string, string[]> _classNames = [];

    /// <summary>Prints <paramref name="message"/>; a topic this program does not follow is ignored.</summary>
    public void Print(MqttApplicationMessage message)
    {
        if (!StreamTopic.TryParse(prefix, message.Topic, out var topic))
        {
            return;
        }

        string line;
        try
        {
            line = json ? JsonLine(topic, message) : TextLine(topic, message);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // A bad payload is reported on its line and the subscriber goes on.
            line = json
                ? $"{topic.Stream} {{\"topic\":{JsonSerializer.Serialize(message.Topic, QuoteOptions)},\"error\":{JsonSerializer.Serialize(ex.Message, QuoteOptions)}}}"
                : $"{topic.Stream} {topic.Origin} error={Quote($"{message.Topic}: {ex.Message}")}";
        }

        output.WriteLine(line);
    }

    private static string Quote(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '=') ? value : JsonSerializer.Serialize(value, QuoteOptions);

    private static string? UserProperty(MqttApplicationMessage message, string name) =>
        message.UserProperties?.LastOrDefault(p => p.Name == name)?.ReadValueAsString();

    private static JsonDocument ParseJson(MqttApplicationMessage message)
    {
        var reader = new Utf8JsonReader(message.Payload);
        return JsonDocument.ParseValue(ref reader);
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Array => Quote(string.Join(',', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()))),
        _ => value.GetRawText(),
    };

    private string TextLine(StreamTopic topic, MqttApplicationMessage message)
    {
        var line = new StringBuilder(topic.Stream).Append(' ').Append(topic.Origin);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                line.Append(' ').Append(key).Append('=').Append(value);
            }
        }

        switch (topic.Stream)
        {
            case "status":
            {
                using var doc = ParseJson(message);
                Add("state", Scalar(doc.RootElement.GetProperty("state")));
                Add("retained", message.Retain ? "true" : "false");
                foreach (var field in doc.RootElement.EnumerateObject().Where(f => f.Name is not ("state" or "device") && f.Value.ValueKind != JsonValueKind.Object))
                {
                    Add(field.Name, Scalar(field.Value));
                }

                break;
            }

            case "classes":
            {
                using var doc = ParseJson(message);
                var names = RememberClasses(topic.Device, doc.RootElement);
                Add("version", doc.RootElement.GetProperty("version").GetRawText());
                Add("retained", message.Retain ? "true" : "false");
                for (var i = 0; i < names.Length; i++)
                {
                    Add(i.ToString(CultureInfo.InvariantCulture), Quote(names[i]));
                }

                break;
            }

            case "mask":
            {
                var mask = MaskSummary.Decode(message.Payload);
                var names = _classNames.GetValueOrDefault(topic.Device, DefaultClassNames);
                Add("frame", UserProperty(message, "frame-index") ?? "?");
                Add("size", $"{mask.Width}x{mask.Height}");
                for (var i = 0; i < MaskSummary.Classes; i++)
                {
                    Add(i < names.Length ? names[i] : $"class{i}", mask.Counts[i].ToString(CultureInfo.InvariantCulture));
                }

                if (mask.OtherValues > 0)
                {
                    Add("other", mask.OtherValues.ToString(CultureInfo.InvariantCulture));
                }

                Add("capture-time", UserProperty(message, "capture-time"));
                Add("model", UserProperty(message, "model") is { } model ? Quote(model) : null);
                break;
            }

            case "metrics":
            {
                using var doc = ParseJson(message);
                var root = doc.RootElement;
                Add("frame", root.GetProperty("frame").GetRawText());
                foreach (var share in root.GetProperty("coverage").EnumerateObject().Where(c => c.Name != "background"))
                {
                    Add(share.Name, share.Value.GetRawText());
                }

                Add("objects", root.GetProperty("objects").GetArrayLength().ToString(CultureInfo.InvariantCulture));
                var lane = root.GetProperty("lane");
                Add("lane", Scalar(lane.GetProperty("status")));
                Add("offset", lane.GetProperty("offset").GetRawText());
                break;
            }

            default: // events
            {
                using var doc = ParseJson(message);
                foreach (var field in doc.RootElement.EnumerateObject().Where(f => f.Name is not ("schema" or "source")))
                {
                    Add(field.Name, Scalar(field.Value));
                }

                break;
            }
        }

        return line.ToString();
    }

    private string JsonLine(StreamTopic topic, MqttApplicationMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("topic", message.Topic);
            w.WriteString("device", topic.Device);
            if (topic.Source is { } source)
            {
                w.WriteString("source", source);
            }
            else
            {
                w.WriteNull("source");
            }

            w.WriteBoolean("retain", message.Retain);
            w.WriteNumber("qos", (int)message.QualityOfServiceLevel);
            w.WriteString("contentType", message.ContentType);
            w.WriteString("payloadFormat", message.PayloadFormatIndicator == MqttPayloadFormatIndicator.CharacterData ? "utf8" : "unspecified");
            w.WriteStartObject("userProperties");
            foreach (var property in message.UserProperties ?? Enumerable.Empty<MqttUserProperty>())
            {
                w.WriteString(property.Name, property.ReadValueAsString());
            }

            w.WriteEndObject();
            if (topic.Stream == "mask")
            {
                var mask = MaskSummary.Decode(message.Payload);
                w.WriteNumber("width", mask.Width);
                w.WriteNumber("height", mask.Height);
                w.WriteStartArray("counts");
                foreach (var count in mask.Counts)
                {
                    w.WriteNumberValue(count);
                }

                w.WriteEndArray();
                w.WriteNumber("otherValues", mask.OtherValues);
                w.WriteString("sha256", mask.Sha256);
            }
            else
            {
                using var doc = ParseJson(message);
                if (topic.Stream == "classes")
                {
                    RememberClasses(topic.Device, doc.RootElement);
                }

                w.WritePropertyName("payload");
                doc.RootElement.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return $"{topic.Stream} {Encoding.UTF8.GetString(buffer.WrittenSpan)}";
    }

    private string[] RememberClasses(string device, JsonElement list)
    {
        var classes = list.GetProperty("classes").EnumerateArray().ToArray();
        if (classes.Any(c => c.GetProperty("index").GetInt32() is < 0 or > 255))
        {
            throw new FormatException("a class index is outside 0-255");
        }

        var names = new string[classes.Length == 0 ? 0 : classes.Max(c => c.GetProperty("index").GetInt32()) + 1];
        foreach (var c in classes)
        {
            names[c.GetProperty("index").GetInt32()] = c.GetProperty("name").GetString() ?? "";
        }

        _classNames[device] = names;
        return names;
    }
}
