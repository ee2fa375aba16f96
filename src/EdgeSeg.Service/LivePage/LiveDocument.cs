using System.Buffers;
using System.Reflection;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Metrics;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// The live page's JSON document (schema 1, see the README's "Live page" section): the box (device, version, uptime,
/// model, MQTT) and per source its state, rates, latency, latest scene figures and latest events. The same bytes
/// answer <c>GET /api/live</c> and each <c>/api/live/stream</c> update. Built on request only. Thread-safe; a singleton.
/// </summary>
internal sealed class LiveDocument(EdgeSegSettings settings, ServiceHealth health, ServiceMetrics metrics, LiveState state, TimeProvider time)
{
    /// <summary>The document's schema version.</summary>
    public const int SchemaVersion = 1;

    // Fractions to a millionth, like the MQTT metrics payload; milliseconds and seconds to a thousandth.
    private const int FractionDigits = 6;
    private const int TimeDigits = 3;

    private static readonly string Version =
        typeof(LiveDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The URL path of a source's overlay JPEG.</summary>
    public static string OverlayPath(string sourceId) => $"/api/live/overlay/{sourceId}.jpg";

    /// <summary>Writes the document as it stands now (UTF-8 JSON; a new array).</summary>
    public byte[] Render()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Write(Utf8JsonWriter writer)
    {
        var now = time.GetUtcNow();
        writer.WriteStartObject();
        writer.WriteNumber("schema", SchemaVersion);
        writer.WriteString("time", now);
        writer.WriteString("device", settings.Device.Id);
        writer.WriteString("version", Version);
        writer.WriteString("started", state.Started);
        writer.WriteNumber("uptimeS", Math.Round(Math.Max(0, (now - state.Started).TotalSeconds), TimeDigits));

        writer.WriteStartObject("model");
        writer.WriteBoolean("loaded", health.ModelLoaded);
        writer.WriteString("name", health.ModelName);
        writer.WriteString("provider", health.Provider);
        writer.WriteEndObject();

        writer.WriteStartObject("mqtt");
        writer.WriteBoolean("connected", health.BrokerConnected);
        writer.WriteString("broker", $"{settings.Mqtt.Host}:{settings.Mqtt.Port}");
        writer.WriteString("detail", health.BrokerDetail);
        writer.WriteEndObject();

        writer.WriteStartArray("sources");
        foreach (var source in state.Sources)
        {
            WriteSource(writer, source);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteSource(Utf8JsonWriter writer, LiveSource source)
    {
        var id = source.Id;
        var reading = source.Read();
        writer.WriteStartObject();
        writer.WriteString("id", id);
        if (health.Sources.TryGetValue(id, out var status))
        {
            writer.WriteString("state", status.State.ToString().ToLowerInvariant());
            writer.WriteString("since", status.Since);
            writer.WriteString("detail", status.Detail);
        }
        else
        {
            writer.WriteString("state", SourceState.Starting.ToString().ToLowerInvariant());
            writer.WriteNull("since");
            writer.WriteNull("detail");
        }

        writer.WriteNumber("fps", Math.Round(health.Fps(id), 2));
        writer.WriteNumber("frames", metrics.FramesPublished.WithLabels(id).Value);
        writer.WriteNumber("dropped", metrics.SourceDropped.WithLabels(id).Value);
        if (reading.LatencySeconds is { } latency && reading.MeanLatencySeconds is { } mean)
        {
            writer.WriteStartObject("latencyMs");
            writer.WriteNumber("last", Math.Round(latency * 1000, TimeDigits));
            writer.WriteNumber("mean", Math.Round(mean * 1000, TimeDigits));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("latencyMs");
        }

        writer.WriteString("overlay", OverlayPath(id));
        if (reading.Figures is { } figures)
        {
            WriteScene(writer, figures);
        }
        else
        {
            writer.WriteNull("scene");
        }

        writer.WriteStartArray("events");
        foreach (var e in reading.Events)
        {
            writer.WriteStartObject();
            writer.WriteString("id", e.Id);
            writer.WriteString("type", SceneEventNames.Of(e.Type));
            writer.WriteBoolean("active", e.End is null);
            writer.WriteString("start", e.Start);
            if (e.End is { } end)
            {
                writer.WriteString("end", end);
            }
            else
            {
                writer.WriteNull("end");
            }

            writer.WriteNumber("durationS", Math.Round(Math.Max(0, e.Duration.TotalSeconds), TimeDigits));
            Fraction(writer, "value", e.Value);
            Fraction(writer, "peak", e.Peak);
            Nullable(writer, "timeToContactS", e.TimeToContactSeconds, TimeDigits);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteScene(Utf8JsonWriter writer, in SceneFigures figures)
    {
        writer.WriteStartObject("scene");
        writer.WriteNumber("frame", figures.FrameIndex);
        writer.WriteString("timestamp", figures.Timestamp);
        writer.WriteNumber("width", figures.Width);
        writer.WriteNumber("height", figures.Height);

        writer.WriteStartObject("coverage");
        Fraction(writer, "background", figures.Coverage.Fraction(ApplianceClass.Background));
        Fraction(writer, "road", figures.Coverage.Fraction(ApplianceClass.Road));
        Fraction(writer, "vehicle", figures.Coverage.Fraction(ApplianceClass.Vehicle));
        Fraction(writer, "pedestrian", figures.Coverage.Fraction(ApplianceClass.Pedestrian));
        Fraction(writer, "laneMarking", figures.Coverage.Fraction(ApplianceClass.LaneMarking));
        writer.WriteEndObject();

        writer.WriteStartObject("corridor");
        Fraction(writer, "drivableFraction", figures.Corridor.DrivableFraction);
        Fraction(writer, "vehicleFraction", figures.Corridor.VehicleFraction);
        Fraction(writer, "pedestrianFraction", figures.Corridor.PedestrianFraction);
        writer.WriteEndObject();

        var lane = figures.Lane;
        writer.WriteStartObject("lane");
        writer.WriteString("status", lane.Status switch
        {
            LaneStatus.Found => "found",
            LaneStatus.LeftOnly => "leftOnly",
            LaneStatus.RightOnly => "rightOnly",
            _ => "notFound",
        });
        Nullable(writer, "offset", lane.LateralOffset, FractionDigits);
        Fraction(writer, "confidence", lane.Confidence);
        writer.WriteEndObject();

        WriteNearest(writer, "nearestVehicle", figures.NearestVehicle);
        WriteNearest(writer, "nearestPedestrian", figures.NearestPedestrian);
        Nullable(writer, "meanConfidence", figures.Quality.MeanConfidence, FractionDigits);
        writer.WriteEndObject();
    }

    private static void WriteNearest(Utf8JsonWriter writer, string name, in ProximityMetrics nearest)
    {
        if (!nearest.Present)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        Fraction(writer, "proximity", nearest.Proximity);
        Nullable(writer, "distanceM", nearest.DistanceMetres, TimeDigits);
        Nullable(writer, "closingRate", nearest.ClosingRate, FractionDigits);
        Nullable(writer, "timeToContactS", nearest.TimeToContactSeconds, TimeDigits);
        writer.WriteEndObject();
    }

    private static void Fraction(Utf8JsonWriter writer, string name, double value) =>
        writer.WriteNumber(name, double.IsFinite(value) ? Math.Round(value, FractionDigits) : 0);

    private static void Nullable(Utf8JsonWriter writer, string name, double? value, int digits)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, Math.Round(v, digits));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
