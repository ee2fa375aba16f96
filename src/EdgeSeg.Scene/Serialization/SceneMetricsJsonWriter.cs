using System.Buffers;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Serialization;

/// <summary>
/// Writes <see cref="SceneMetrics"/> as the per-frame metrics document (the MQTT <c>metrics</c> payload; schema in
/// README.md, "Scene metrics and events"). Field names are camelCase and stable; numbers are invariant and rounded
/// to 6 decimals. One instance per publishing loop: it reuses its buffer and writer, so writing allocates nothing
/// after the first document. Not thread-safe. Dispose it when done.
/// </summary>
public sealed class SceneMetricsJsonWriter : IDisposable
{
    /// <summary>The schema version written in every document's <c>schema</c> field.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Frame = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Width = JsonEncodedText.Encode("width");
    private static readonly JsonEncodedText Height = JsonEncodedText.Encode("height");
    private static readonly JsonEncodedText CoverageName = JsonEncodedText.Encode("coverage");
    private static readonly JsonEncodedText Zones = JsonEncodedText.Encode("zones");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Pixels = JsonEncodedText.Encode("pixels");
    private static readonly JsonEncodedText Corridor = JsonEncodedText.Encode("corridor");
    private static readonly JsonEncodedText DrivableFraction = JsonEncodedText.Encode("drivableFraction");
    private static readonly JsonEncodedText VehiclePresent = JsonEncodedText.Encode("vehiclePresent");
    private static readonly JsonEncodedText VehicleFraction = JsonEncodedText.Encode("vehicleFraction");
    private static readonly JsonEncodedText PedestrianPresent = JsonEncodedText.Encode("pedestrianPresent");
    private static readonly JsonEncodedText PedestrianFraction = JsonEncodedText.Encode("pedestrianFraction");
    private static readonly JsonEncodedText Objects = JsonEncodedText.Encode("objects");
    private static readonly JsonEncodedText Class = JsonEncodedText.Encode("class");
    private static readonly JsonEncodedText Area = JsonEncodedText.Encode("area");
    private static readonly JsonEncodedText Box = JsonEncodedText.Encode("box");
    private static readonly JsonEncodedText X = JsonEncodedText.Encode("x");
    private static readonly JsonEncodedText Y = JsonEncodedText.Encode("y");
    private static readonly JsonEncodedText Centroid = JsonEncodedText.Encode("centroid");
    private static readonly JsonEncodedText BottomCenter = JsonEncodedText.Encode("bottomCenter");
    private static readonly JsonEncodedText TouchesCorridor = JsonEncodedText.Encode("touchesCorridor");
    private static readonly JsonEncodedText Proximity = JsonEncodedText.Encode("proximity");
    private static readonly JsonEncodedText NearestVehicle = JsonEncodedText.Encode("nearestVehicle");
    private static readonly JsonEncodedText NearestPedestrian = JsonEncodedText.Encode("nearestPedestrian");
    private static readonly JsonEncodedText ObjectIndex = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText DistanceM = JsonEncodedText.Encode("distanceM");
    private static readonly JsonEncodedText ClosingRate = JsonEncodedText.Encode("closingRate");
    private static readonly JsonEncodedText TimeToContactS = JsonEncodedText.Encode("timeToContactS");
    private static readonly JsonEncodedText Lane = JsonEncodedText.Encode("lane");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
    private static readonly JsonEncodedText WidthPx = JsonEncodedText.Encode("widthPx");
    private static readonly JsonEncodedText Confidence = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText Left = JsonEncodedText.Encode("left");
    private static readonly JsonEncodedText Right = JsonEncodedText.Encode("right");
    private static readonly JsonEncodedText Slope = JsonEncodedText.Encode("slope");
    private static readonly JsonEncodedText SupportRows = JsonEncodedText.Encode("supportRows");
    private static readonly JsonEncodedText Quality = JsonEncodedText.Encode("quality");
    private static readonly JsonEncodedText MeanConfidence = JsonEncodedText.Encode("meanConfidence");
    private static readonly JsonEncodedText RoadFraction = JsonEncodedText.Encode("roadFraction");
    private static readonly JsonEncodedText Background = JsonEncodedText.Encode("background");
    private static readonly JsonEncodedText Road = JsonEncodedText.Encode("road");
    private static readonly JsonEncodedText Vehicle = JsonEncodedText.Encode("vehicle");
    private static readonly JsonEncodedText Pedestrian = JsonEncodedText.Encode("pedestrian");
    private static readonly JsonEncodedText LaneMarking = JsonEncodedText.Encode("laneMarking");
    private static readonly JsonEncodedText Found = JsonEncodedText.Encode("found");
    private static readonly JsonEncodedText NotFound = JsonEncodedText.Encode("notFound");
    private static readonly JsonEncodedText LeftOnly = JsonEncodedText.Encode("leftOnly");
    private static readonly JsonEncodedText RightOnly = JsonEncodedText.Encode("rightOnly");

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer with its own reusable buffer.</summary>
    public SceneMetricsJsonWriter()
    {
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>
    /// Writes one document into the writer's own buffer and returns it. The memory is valid until the next call or
    /// disposal; copy it to keep it.
    /// </summary>
    /// <param name="metrics">The frame's metrics.</param>
    /// <param name="sourceId">The source id to include as <c>source</c>, or null to leave the field out.</param>
    public ReadOnlyMemory<byte> Write(SceneMetrics metrics, string? sourceId = null)
    {
        _buffer.ResetWrittenCount();
        Write(metrics, _buffer, sourceId);
        return _buffer.WrittenMemory;
    }

    /// <summary>Writes one document to <paramref name="destination"/> (for example a pooled publish buffer).</summary>
    public void Write(SceneMetrics metrics, IBufferWriter<byte> destination, string? sourceId = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(destination);
        _writer.Reset(destination);
        WriteDocument(_writer, metrics, sourceId);
        _writer.Flush();
    }

    /// <summary>Writes one document as a JSON object with <paramref name="writer"/>, for callers composing their own payload.</summary>
    public static void WriteDocument(Utf8JsonWriter writer, SceneMetrics metrics, string? sourceId = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);
        writer.WriteStartObject();
        writer.WriteNumber(Schema, SchemaVersion);
        if (sourceId is not null)
        {
            writer.WriteString(Source, sourceId);
        }

        writer.WriteNumber(Frame, metrics.FrameIndex);
        writer.WriteString(Timestamp, metrics.Timestamp);
        writer.WriteNumber(Width, metrics.Width);
        writer.WriteNumber(Height, metrics.Height);
        WriteCoverage(writer, CoverageName, metrics.Coverage);

        writer.WriteStartArray(Zones);
        foreach (ref readonly var zone in metrics.Zones)
        {
            writer.WriteStartObject();
            writer.WriteString(Name, zone.Name);
            writer.WriteNumber(Pixels, zone.Coverage.Total);
            WriteCoverage(writer, CoverageName, zone.Coverage);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        var corridor = metrics.Corridor;
        writer.WriteStartObject(Corridor);
        writer.WriteNumber(Pixels, corridor.Coverage.Total);
        JsonNumbers.Write(writer, DrivableFraction, corridor.DrivableFraction);
        writer.WriteBoolean(VehiclePresent, corridor.VehiclePresent);
        JsonNumbers.Write(writer, VehicleFraction, corridor.VehicleFraction);
        writer.WriteBoolean(PedestrianPresent, corridor.PedestrianPresent);
        JsonNumbers.Write(writer, PedestrianFraction, corridor.PedestrianFraction);
        writer.WriteEndObject();

        writer.WriteStartArray(Objects);
        foreach (ref readonly var obj in metrics.Objects)
        {
            writer.WriteStartObject();
            writer.WriteString(Class, obj.Class == ApplianceClass.Vehicle ? Vehicle : Pedestrian);
            writer.WriteNumber(Area, obj.Area);
            writer.WriteStartObject(Box);
            writer.WriteNumber(X, obj.Box.X);
            writer.WriteNumber(Y, obj.Box.Y);
            writer.WriteNumber(Width, obj.Box.Width);
            writer.WriteNumber(Height, obj.Box.Height);
            writer.WriteEndObject();
            writer.WriteStartObject(Centroid);
            JsonNumbers.Write(writer, X, obj.CentroidX);
            JsonNumbers.Write(writer, Y, obj.CentroidY);
            writer.WriteEndObject();
            writer.WriteStartObject(BottomCenter);
            JsonNumbers.Write(writer, X, obj.BottomCenterX);
            writer.WriteNumber(Y, obj.BottomY);
            writer.WriteEndObject();
            writer.WriteBoolean(TouchesCorridor, obj.TouchesCorridor);
            JsonNumbers.Write(writer, Proximity, obj.Proximity);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        WriteNearest(writer, NearestVehicle, metrics.NearestVehicle);
        WriteNearest(writer, NearestPedestrian, metrics.NearestPedestrian);

        var lane = metrics.Lane;
        writer.WriteStartObject(Lane);
        writer.WriteString(Status, lane.Status switch
        {
            LaneStatus.Found => Found,
            LaneStatus.LeftOnly => LeftOnly,
            LaneStatus.RightOnly => RightOnly,
            _ => NotFound,
        });
        JsonNumbers.Write(writer, Offset, lane.LateralOffset);
        JsonNumbers.Write(writer, WidthPx, lane.WidthPixels);
        JsonNumbers.Write(writer, Confidence, lane.Confidence);
        WriteBoundary(writer, Left, lane.Left);
        WriteBoundary(writer, Right, lane.Right);
        writer.WriteEndObject();

        writer.WriteStartObject(Quality);
        JsonNumbers.Write(writer, MeanConfidence, metrics.Quality.MeanConfidence);
        JsonNumbers.Write(writer, RoadFraction, metrics.Quality.RoadFraction);
        writer.WriteEndObject();

        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private static void WriteCoverage(Utf8JsonWriter writer, JsonEncodedText name, ClassCoverage coverage)
    {
        writer.WriteStartObject(name);
        JsonNumbers.Write(writer, Background, coverage.Fraction(ApplianceClass.Background));
        JsonNumbers.Write(writer, Road, coverage.Fraction(ApplianceClass.Road));
        JsonNumbers.Write(writer, Vehicle, coverage.Fraction(ApplianceClass.Vehicle));
        JsonNumbers.Write(writer, Pedestrian, coverage.Fraction(ApplianceClass.Pedestrian));
        JsonNumbers.Write(writer, LaneMarking, coverage.Fraction(ApplianceClass.LaneMarking));
        writer.WriteEndObject();
    }

    private static void WriteNearest(Utf8JsonWriter writer, JsonEncodedText name, ProximityMetrics nearest)
    {
        if (!nearest.Present)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber(ObjectIndex, nearest.ObjectIndex);
        JsonNumbers.Write(writer, Proximity, nearest.Proximity);
        JsonNumbers.Write(writer, DistanceM, nearest.DistanceMetres);
        JsonNumbers.Write(writer, ClosingRate, nearest.ClosingRate);
        JsonNumbers.Write(writer, TimeToContactS, nearest.TimeToContactSeconds);
        writer.WriteEndObject();
    }

    private static void WriteBoundary(Utf8JsonWriter writer, JsonEncodedText name, LaneBoundary boundary)
    {
        if (!boundary.Found)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        JsonNumbers.Write(writer, X, boundary.XAtReference);
        JsonNumbers.Write(writer, Slope, boundary.Slope);
        writer.WriteNumber(SupportRows, boundary.SupportRows);
        JsonNumbers.Write(writer, Confidence, boundary.Confidence);
        writer.WriteEndObject();
    }
}
