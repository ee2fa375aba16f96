using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Trips;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>The driver-safety score against hand-worked figures (the formula in README.md, "Recorded drives").</summary>
public sealed class SafetyScoreTests
{
    private static readonly ReportSettings Defaults = new();

    [Fact]
    public void Compute_HalfHourTrip_HundredLessEachWeightTimesItsQuantity()
    {
        var counts = new Dictionary<SceneEventType, int> { [SceneEventType.VehicleClose] = 2, [SceneEventType.LaneDeparture] = 3, [SceneEventType.CameraObstructed] = 5 };

        var (score, terms) = SafetyScore.Compute(1800, counts, criticalSeconds: 9, warningSeconds: 36, pedestrianSeconds: 18, Defaults);

        // 4 vehicle_close/h x 2 + 6 lane_departure/h x 1 + 0.5 % x 4 + 2 % x 1 + 1 % x 0.5 (camera_obstructed weighs 0).
        Assert.Equal([8, 0, 6, 0, 2, 2, 0.5], terms.Select(t => Math.Round(t.Points, 9)));
        Assert.Equal(81.5, score, 9);
    }

    [Fact]
    public void Compute_OneMinuteClip_EventRatesOverTheMinimumHours()
    {
        var counts = new Dictionary<SceneEventType, int> { [SceneEventType.LaneDeparture] = 1 };

        var (score, terms) = SafetyScore.Compute(60, counts, 0, 0, 0, Defaults);

        // One departure in a minute is 4 per hour over the 0.25 h minimum, not 60 per hour.
        Assert.Equal(4, terms.Single(t => t.Setting == "Report:Score:LaneDeparturePerHour").Quantity, 9);
        Assert.Equal(96, score, 9);
    }

    [Fact]
    public void Compute_ManyEventsAndHeavierWeights_ClampedAtZero()
    {
        var counts = new Dictionary<SceneEventType, int> { [SceneEventType.PedestrianInCorridor] = 40 };
        var strict = new ReportSettings { PedestrianInCorridorPerHour = 10 };

        var (score, _) = SafetyScore.Compute(3600, counts, 0, 0, 0, strict);

        Assert.Equal(0, score);
    }
}
