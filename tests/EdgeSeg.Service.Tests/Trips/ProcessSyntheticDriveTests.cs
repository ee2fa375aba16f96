using System.Globalization;
using System.Text.Json;
using EdgeSeg.Service.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>
/// <c>edgeseg process</c> on a synthetic drive whose lane changes and close-in are known: the trip's events and summary
/// against what the generator made, the summary against the trip's own metrics and events, and the report in a real
/// headless Chromium.
/// </summary>
public sealed class ProcessSyntheticDriveTests(ProcessedDrive trip, ITestOutputHelper output) : IClassFixture<ProcessedDrive>
{
    [Fact]
    public void Process_SyntheticDrive_OneMetricsLinePerFrameTimedByTheVideo()
    {
        var drive = trip.Drive;
        Assert.Equal(drive.Frames, trip.Metrics.Count);
        for (var i = 0; i < trip.Metrics.Count; i++)
        {
            var m = trip.Metrics[i];
            Assert.Equal(1, m.GetProperty("schema").GetInt32());
            Assert.Equal("drive", m.GetProperty("source").GetString());
            Assert.Equal(i, m.GetProperty("frame").GetInt32());

            // The file's own time: its modification time plus the frame's timestamp in the video (15 fps).
            var expected = trip.Origin + TimeSpan.FromMilliseconds(i * 1000.0 / drive.Fps);
            Assert.InRange((m.GetProperty("timestamp").GetDateTimeOffset() - expected).TotalMilliseconds, -1, 1);
        }

        Assert.False(Directory.Exists(Path.Combine(trip.Output, ".drive.partial")));
        Assert.Equal(drive.Frames, trip.Summary.GetProperty("frames").GetInt32());
        Assert.Equal(drive.Frames / (double)drive.Fps, trip.Summary.GetProperty("durationS").GetDouble(), 3);
    }

    [Fact]
    public void Process_LaneChanges_OneDepartureEachOnItsSideAndCountedByTheSummary()
    {
        var drive = trip.Drive;
        var departures = Starts("lane_departure").Select(e => (Frame: FrameAt(e.GetProperty("start")), Side: Math.Sign(e.GetProperty("value").GetDouble()))).ToList();
        output.WriteLine("departures (frame, side): " + string.Join(", ", departures) + "; lane changes: " + string.Join(", ", drive.LaneChanges));

        Assert.NotEmpty(drive.LaneChanges);
        Assert.Equal(drive.LaneChanges.Count, departures.Count);
        foreach (var change in drive.LaneChanges)
        {
            var (_, side) = Assert.Single(departures, d => d.Frame >= change.StartFrame && d.Frame <= change.EndFrame);
            Assert.Equal(change.Direction, side);
        }

        var lanes = trip.Summary.GetProperty("laneDepartures");
        Assert.Equal(drive.LaneChanges.Count(c => c.Direction < 0), lanes.GetProperty("left").GetInt32());
        Assert.Equal(drive.LaneChanges.Count(c => c.Direction > 0), lanes.GetProperty("right").GetInt32());
        Assert.Equal(drive.LaneChanges.Count, trip.Summary.GetProperty("events").GetProperty("lane_departure").GetProperty("count").GetInt32());
    }

    [Fact]
    public void Process_CloseIn_OneVehicleCloseAroundTheClosestFrameAndTimeToContactInTheSummary()
    {
        var drive = trip.Drive;
        var closeIn = drive.CloseInEpisode ?? throw new InvalidOperationException("The drive has no close-in.");
        var close = Intervals("vehicle_close");
        output.WriteLine($"close-in {closeIn}; vehicle_close (frames): {string.Join(", ", close.Select(c => $"{c.StartFrame}-{c.EndFrame}"))}");

        // One event, begun while the gap was closing and lasting over the closest frame.
        var (start, end) = Assert.Single(close);
        Assert.InRange(start, closeIn.StartFrame, closeIn.ClosestFrame);
        Assert.InRange(closeIn.ClosestFrame, start, end);

        // The generator's time-to-contact is gap / closing speed while the gap closes; the summary's is measured from the
        // masks, through a closing rate smoothed over 0.5 s, so it lags: the time under 3 s agrees within 0.8 s, and
        // every frame under 3 s is one of the close-in's. The minimum is under the warning threshold.
        var dt = 1.0 / drive.Fps;
        var underWarningFrames = trip.Metrics.Where(m => m.GetProperty("nearestVehicle") is { ValueKind: JsonValueKind.Object } v
            && v.GetProperty("timeToContactS") is { ValueKind: JsonValueKind.Number } t && t.GetDouble() < 3).Select(m => m.GetProperty("frame").GetInt32()).ToList();
        Assert.NotEmpty(underWarningFrames);
        Assert.All(underWarningFrames, f => Assert.InRange(f, closeIn.StartFrame, closeIn.EndFrame));
        var trueUnderWarning = Enumerable.Range(closeIn.StartFrame, closeIn.ClosestFrame - closeIn.StartFrame + 1)
            .Count(f => drive.LeadGaps[f] is { } gap && gap / closeIn.ClosingSpeed < 3) * dt;
        var ttc = trip.Summary.GetProperty("timeToContact");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"under 3 s: generator {trueUnderWarning:0.000} s, summary {ttc.GetProperty("underWarningS").GetDouble():0.000} s; min {ttc.GetProperty("minS")}"));
        Assert.InRange(ttc.GetProperty("underWarningS").GetDouble(), trueUnderWarning - 0.8, trueUnderWarning + 0.8);
        Assert.InRange(ttc.GetProperty("minS").GetDouble(), 0, 3);
        Assert.Equal(1, trip.Summary.GetProperty("events").GetProperty("vehicle_close").GetProperty("count").GetInt32());
    }

    [Fact]
    public void Process_Summary_CountsAndTimesAreThoseOfItsEventsAndMetrics()
    {
        var dt = 1.0 / trip.Drive.Fps;
        var end = trip.Origin + TimeSpan.FromSeconds(trip.Drive.Frames * dt);
        foreach (var type in new[] { "pedestrian_in_corridor", "vehicle_close", "lane_departure", "camera_obstructed" })
        {
            var ofType = trip.Events.Where(e => e.GetProperty("type").GetString() == type).ToList();
            var ids = ofType.Select(e => e.GetProperty("id").GetString()).Distinct().ToList();
            var total = ids.Sum(id =>
            {
                var last = ofType.Last(e => e.GetProperty("id").GetString() == id);
                var stop = last.GetProperty("phase").GetString() == "end" ? last.GetProperty("end").GetDateTimeOffset() : end;
                return (stop - last.GetProperty("start").GetDateTimeOffset()).TotalSeconds;
            });
            var summary = trip.Summary.GetProperty("events").GetProperty(type);
            Assert.Equal(ids.Count, summary.GetProperty("count").GetInt32());
            Assert.Equal(total, summary.GetProperty("totalS").GetDouble(), 5);
            Assert.Equal(ids.Count / (trip.Drive.Frames * dt / 3600), summary.GetProperty("perHour").GetDouble(), 3);
        }

        var pedestrianSeconds = trip.Metrics.Count(m => m.GetProperty("corridor").GetProperty("pedestrianPresent").GetBoolean()) * dt;
        Assert.Equal(pedestrianSeconds, trip.Summary.GetProperty("pedestrianInCorridorS").GetDouble(), 5);
        var ttcs = trip.Metrics.Select(m => m.GetProperty("nearestVehicle")).Where(v => v.ValueKind == JsonValueKind.Object
            && v.GetProperty("timeToContactS").ValueKind == JsonValueKind.Number).Select(v => v.GetProperty("timeToContactS").GetDouble()).ToList();
        Assert.Equal(ttcs.Min(), trip.Summary.GetProperty("timeToContact").GetProperty("minS").GetDouble(), 5);
        Assert.Equal(ttcs.Count(t => t < 3) * dt, trip.Summary.GetProperty("timeToContact").GetProperty("underWarningS").GetDouble(), 5);
        Assert.Equal(ttcs.Count(t => t < 1.5) * dt, trip.Summary.GetProperty("timeToContact").GetProperty("underCriticalS").GetDouble(), 5);

        // The score is 100 less the terms' points, each the quantity times its weight.
        var score = trip.Summary.GetProperty("score");
        var terms = score.GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal(7, terms.Count);
        foreach (var term in terms)
        {
            Assert.Equal(term.GetProperty("quantity").GetDouble() * term.GetProperty("weight").GetDouble(), term.GetProperty("points").GetDouble(), 4);
        }

        Assert.Equal(Math.Clamp(100 - terms.Sum(t => t.GetProperty("points").GetDouble()), 0, 100), score.GetProperty("value").GetDouble(), 4);
        Assert.InRange(score.GetProperty("value").GetDouble(), 0, 99.999);
    }

    [Fact]
    public async Task Process_Report_RendersItsChartsInHeadlessChromiumWithoutConsoleErrors()
    {
        var report = Path.Combine(trip.Trip, "report.html");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "test-output", "process-report.png");
        var page = await HeadlessChromium.LoadAsync(report, screenshot);
        output.WriteLine($"screenshot: {screenshot}");

        Assert.Empty(page.ConsoleMessages);
        foreach (var chart in new[] { "drivable", "offset", "proximity", "ttc", "pedestrians" })
        {
            Assert.Contains($"id=\"chart-{chart}\"", page.Dom, StringComparison.Ordinal);
        }

        // Every event is a band on each of the five charts; every start has its thumbnail linked to its marker.
        var starts = trip.Events.Count(e => e.GetProperty("phase").GetString() == "start");
        Assert.Equal(5 * starts, CountOf(page.Dom, "class=\"band\""));
        Assert.Equal(starts, CountOf(page.Dom, "<img "));
        Assert.Equal(starts, CountOf(page.Dom, "class=\"marker\""));
        Assert.True(page.ScreenshotColours > 50, $"the screenshot has {page.ScreenshotColours} colours: the charts did not render");
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private IEnumerable<JsonElement> Starts(string type) =>
        trip.Events.Where(e => e.GetProperty("type").GetString() == type && e.GetProperty("phase").GetString() == "start");

    private List<(int StartFrame, int EndFrame)> Intervals(string type) =>
        [.. Starts(type).Select(s =>
        {
            var id = s.GetProperty("id").GetString();
            var last = trip.Events.Last(e => e.GetProperty("id").GetString() == id);
            var end = last.GetProperty("phase").GetString() == "end" ? FrameAt(last.GetProperty("end")) : trip.Drive.Frames - 1;
            return (FrameAt(s.GetProperty("start")), end);
        })];

    private int FrameAt(JsonElement time) =>
        (int)Math.Round((time.GetDateTimeOffset() - trip.Origin).TotalSeconds * trip.Drive.Fps);
}
