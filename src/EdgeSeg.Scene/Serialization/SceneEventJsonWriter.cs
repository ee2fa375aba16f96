using System.Buffers;
using System.Text.Json;
using EdgeSeg.Scene.Events;

namespace EdgeSeg.Scene.Serialization;

/// <summary>
/// Writes one <see cref="SceneEvent"/> as the MQTT <c>events</c> payload (schema in README.md, "Scene metrics and
/// events"). Reuses its buffer and writer: allocation-free after the first message. Not thread-safe. Dispose it when done.
/// </summary>
public sealed class SceneEventJsonWriter : IDisposable
{
    /// <summary>The schema version written in every message's <c>schema</c> field.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Phase = JsonEncodedText.Encode("phase");
    private static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
    private static readonly JsonEncodedText DurationS = JsonEncodedText.Encode("durationS");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Peak = JsonEncodedText.Encode("peak");
    private static readonly JsonEncodedText TimeToContactS = JsonEncodedText.Encode("timeToContactS");
    private static readonly JsonEncodedText[] TypeNames =
        [.. Enum.GetValues<SceneEventType>().Select(t => JsonEncodedText.Encode(SceneEventNames.Of(t)))];

    private static readonly JsonEncodedText[] PhaseNames =
        [.. Enum.GetValues<SceneEventPhase>().Select(p => JsonEncodedText.Encode(SceneEventNames.Of(p)))];

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer with its own reusable buffer.</summary>
    public SceneEventJsonWriter()
    {
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Writes one message into the writer's own buffer; valid until the next call or disposal.</summary>
    /// <param name="sceneEvent">The message.</param>
    /// <param name="sourceId">The source id (<see cref="EventTracker.SourceId"/>), or null to leave the field out.</param>
    public ReadOnlyMemory<byte> Write(in SceneEvent sceneEvent, string? sourceId)
    {
        _buffer.ResetWrittenCount();
        Write(sceneEvent, _buffer, sourceId);
        return _buffer.WrittenMemory;
    }

    /// <summary>Writes one message to <paramref name="destination"/>.</summary>
    public void Write(in SceneEvent sceneEvent, IBufferWriter<byte> destination, string? sourceId)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _writer.Reset(destination);
        WriteDocument(_writer, sceneEvent, sourceId);
        _writer.Flush();
    }

    /// <summary>Writes one message as a JSON object with <paramref name="writer"/>.</summary>
    public static void WriteDocument(Utf8JsonWriter writer, in SceneEvent sceneEvent, string? sourceId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber(Schema, SchemaVersion);
        if (sourceId is not null)
        {
            writer.WriteString(Source, sourceId);
        }

        writer.WriteString(Id, sceneEvent.Id);
        writer.WriteString(Type, TypeNames[(int)sceneEvent.Type]);
        writer.WriteString(Phase, PhaseNames[(int)sceneEvent.Phase]);
        writer.WriteString(Start, sceneEvent.StartTime);
        writer.WriteString(Timestamp, sceneEvent.Timestamp);
        if (sceneEvent.EndTime is { } end)
        {
            writer.WriteString(End, end);
        }
        else
        {
            writer.WriteNull(End);
        }

        JsonNumbers.Write(writer, DurationS, sceneEvent.Duration.TotalSeconds);
        JsonNumbers.Write(writer, Value, sceneEvent.Value);
        JsonNumbers.Write(writer, Peak, sceneEvent.Peak);
        JsonNumbers.Write(writer, TimeToContactS, sceneEvent.TimeToContactSeconds);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
