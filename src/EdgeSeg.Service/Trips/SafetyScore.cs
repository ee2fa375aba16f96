using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Configuration;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// The driver-safety score of a trip, 0 (worst) to 100:
/// <c>score = clamp(100 - sum(weight * quantity), 0, 100)</c> over these terms (weights under <c>Report:Score</c>):
/// events started per hour for each event type (the hours being the trip's, but at least
/// <c>Report:Score:MinimumHours</c>), and the percent of the trip's time with a time-to-contact under the critical and
/// under the warning threshold (a moment under the critical one counts in both) and with a pedestrian in the corridor.
/// </summary>
internal static class SafetyScore
{
    /// <summary>The terms and the score.</summary>
    /// <param name="durationSeconds">The trip's length.</param>
    /// <param name="counts">Events started, per type.</param>
    /// <param name="criticalSeconds">Time under the critical time-to-contact.</param>
    /// <param name="warningSeconds">Time under the warning time-to-contact.</param>
    /// <param name="pedestrianSeconds">Time with a pedestrian in the corridor.</param>
    /// <param name="settings">The weights.</param>
    public static (double Score, IReadOnlyList<ScoreTerm> Terms) Compute(double durationSeconds, IReadOnlyDictionary<SceneEventType, int> counts,
        double criticalSeconds, double warningSeconds, double pedestrianSeconds, ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(settings);
        var hours = Math.Max(durationSeconds / 3600, settings.ScoreMinimumHours);
        double PerHour(SceneEventType type) => hours > 0 ? counts.GetValueOrDefault(type) / hours : 0;
        double Percent(double seconds) => durationSeconds > 0 ? 100 * seconds / durationSeconds : 0;
        ScoreTerm[] terms =
        [
            new("vehicle_close per hour", "Report:Score:VehicleClosePerHour", PerHour(SceneEventType.VehicleClose), settings.VehicleClosePerHour),
            new("pedestrian_in_corridor per hour", "Report:Score:PedestrianInCorridorPerHour", PerHour(SceneEventType.PedestrianInCorridor), settings.PedestrianInCorridorPerHour),
            new("lane_departure per hour", "Report:Score:LaneDeparturePerHour", PerHour(SceneEventType.LaneDeparture), settings.LaneDeparturePerHour),
            new("camera_obstructed per hour", "Report:Score:CameraObstructedPerHour", PerHour(SceneEventType.CameraObstructed), settings.CameraObstructedPerHour),
            new("% of time with time-to-contact under the critical threshold", "Report:Score:CriticalTimeToContactPercent", Percent(criticalSeconds), settings.CriticalTimeToContactPercent),
            new("% of time with time-to-contact under the warning threshold", "Report:Score:WarningTimeToContactPercent", Percent(warningSeconds), settings.WarningTimeToContactPercent),
            new("% of time with a pedestrian in the corridor", "Report:Score:PedestrianInCorridorPercent", Percent(pedestrianSeconds), settings.PedestrianInCorridorPercent),
        ];
        var score = Math.Clamp(100 - terms.Sum(t => t.Points), 0, 100);
        return (score, terms);
    }
}
