using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Serialization;
using EdgeSeg.Scene.Tests.Support;

namespace EdgeSeg.Scene.Tests.Serialization;

public class JsonWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 6, 7, 8, 9, 250, TimeSpan.Zero);

    private static Mask Street()
    {
        var mask = new Mask(1280, 720);
        MaskPainter.FillRect(mask, 0, 360, 1280, 720, ApplianceClass.Road);
        MaskPainter.FillRect(mask, 600, 500, 700, 550, ApplianceClass.Vehicle);
        MaskPainter.DrawLine(mask, 402, 0, 0, 5, 400, 720);
        MaskPainter.DrawLine(mask, 877, 0, 0, 5, 400, 720);
        return mask;
    }

    [Fact]
    public void Write_Metrics_DocumentHasTheDocumentedFields()
    {
        var m = new SceneAnalyzer(new SceneOptions { Calibration = new() { FocalLengthPixels = 1000, HorizonY = 0.5 } }).Analyze(Street(), T0);
        using var writer = new SceneMetricsJsonWriter();
        using var doc = JsonDocument.Parse(writer.Write(m, "front"));
        var root = doc.RootElement;

        Assert.Equal(
            ["schema", "source", "frame", "timestamp", "width", "height", "coverage", "zones", "corridor", "objects",
                "nearestVehicle", "nearestPedestrian", "lane", "quality"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("front", root.GetProperty("source").GetString());
        Assert.Equal(T0, root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(["background", "road", "vehicle", "pedestrian", "laneMarking"],
            root.GetProperty("coverage").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.5, root.GetProperty("coverage").GetProperty("background").GetDouble());
        Assert.Equal(Math.Round(5000 / 921600.0, 6), root.GetProperty("coverage").GetProperty("vehicle").GetDouble());
        Assert.Equal("ahead", root.GetProperty("zones")[1].GetProperty("name").GetString());
        Assert.Equal(426 * 360, root.GetProperty("zones")[1].GetProperty("pixels").GetInt32());
        Assert.True(root.GetProperty("corridor").GetProperty("vehiclePresent").GetBoolean());

        var obj = root.GetProperty("objects")[0];
        Assert.Equal("vehicle", obj.GetProperty("class").GetString());
        Assert.Equal(5000, obj.GetProperty("area").GetInt32());
        Assert.Equal(600, obj.GetProperty("box").GetProperty("x").GetInt32());
        Assert.Equal(649.5, obj.GetProperty("bottomCenter").GetProperty("x").GetDouble());
        Assert.Equal(549, obj.GetProperty("bottomCenter").GetProperty("y").GetInt32());

        var near = root.GetProperty("nearestVehicle");
        Assert.Equal(0, near.GetProperty("object").GetInt32());
        Assert.Equal(Math.Round(190 / 360.0, 6), near.GetProperty("proximity").GetDouble());
        Assert.Equal(Math.Round(1.3 * 1000 / 190, 6), near.GetProperty("distanceM").GetDouble());
        Assert.Equal(JsonValueKind.Null, near.GetProperty("closingRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nearestPedestrian").ValueKind);

        var lane = root.GetProperty("lane");
        Assert.Equal("found", lane.GetProperty("status").GetString());
        Assert.Equal(0, lane.GetProperty("offset").GetDouble());
        Assert.Equal(475, lane.GetProperty("widthPx").GetDouble());
        Assert.Equal(402, lane.GetProperty("left").GetProperty("x").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("quality").GetProperty("meanConfidence").ValueKind);
    }

    [Fact]
    public void Write_NoLane_StatusNotFoundAndNulls()
    {
        var m = new SceneAnalyzer(new SceneOptions()).Analyze(new Mask(64, 48), T0);
        using var writer = new SceneMetricsJsonWriter();
        using var doc = JsonDocument.Parse(writer.Write(m));
        var lane = doc.RootElement.GetProperty("lane");
        Assert.False(doc.RootElement.TryGetProperty("source", out _));
        Assert.Equal("notFound", lane.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, lane.GetProperty("offset").ValueKind);
        Assert.Equal(JsonValueKind.Null, lane.GetProperty("left").ValueKind);
        Assert.Equal(0, lane.GetProperty("confidence").GetDouble());
    }

    [Fact]
    public void Write_Event_MessageHasTheDocumentedFields()
    {
        var id = Guid.CreateVersion7(T0);
        var e = new SceneEvent(id, SceneEventType.VehicleClose, SceneEventPhase.End, T0, T0.AddSeconds(3), T0.AddSeconds(2), 0.5, 0.81, null);
        using var writer = new SceneEventJsonWriter();
        using var doc = JsonDocument.Parse(writer.Write(e, "front"));
        var root = doc.RootElement;

        Assert.Equal(["schema", "source", "id", "type", "phase", "start", "timestamp", "end", "durationS", "value", "peak", "timeToContactS"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, root.GetProperty("id").GetGuid());
        Assert.Equal("vehicle_close", root.GetProperty("type").GetString());
        Assert.Equal("end", root.GetProperty("phase").GetString());
        Assert.Equal(T0.AddSeconds(2), root.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(2, root.GetProperty("durationS").GetDouble());
        Assert.Equal(0.81, root.GetProperty("peak").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("timeToContactS").ValueKind);
    }

    [Fact]
    public void Write_AfterWarmUp_AllocatesNothing()
    {
        var analyzer = new SceneAnalyzer(new SceneOptions());
        var m = analyzer.Analyze(Street(), T0);
        using var metricsWriter = new SceneMetricsJsonWriter();
        using var eventWriter = new SceneEventJsonWriter();
        var e = new SceneEvent(Guid.CreateVersion7(T0), SceneEventType.LaneDeparture, SceneEventPhase.Update, T0, T0, null, -0.4, -0.45, null);
        metricsWriter.Write(m, "front");
        eventWriter.Write(e, "front");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var bytes = 0;
        for (var k = 0; k < 5; k++)
        {
            bytes += metricsWriter.Write(m, "front").Length;
            bytes += eventWriter.Write(e, "front").Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(bytes > 0);
    }
}
