namespace EdgeSeg.Service.Configuration;

/// <summary>
/// The <c>Report</c> section: what <c>edgeseg process</c> counts as a dangerous time-to-contact and the weights of the
/// driver-safety score (the formula is in README.md, "Recorded drives"; <see cref="Trips.SafetyScore"/> computes it).
/// </summary>
internal sealed class ReportSettings
{
    /// <summary><c>Report:CriticalTimeToContactSeconds</c>: time-to-contact under this is critical (default 1.5 s).</summary>
    public double CriticalTimeToContactSeconds { get; init; } = 1.5;

    /// <summary><c>Report:WarningTimeToContactSeconds</c>: time-to-contact under this is a warning (default 3 s).</summary>
    public double WarningTimeToContactSeconds { get; init; } = 3;

    /// <summary><c>Report:Score:MinimumHours</c>: event rates for the score are per hour over at least this long (a short clip is not scored as if its events repeated all hour).</summary>
    public double ScoreMinimumHours { get; init; } = 0.25;

    /// <summary><c>Report:Score:VehicleClosePerHour</c>: points off per <c>vehicle_close</c> event per hour.</summary>
    public double VehicleClosePerHour { get; init; } = 2;

    /// <summary><c>Report:Score:PedestrianInCorridorPerHour</c>: points off per <c>pedestrian_in_corridor</c> event per hour.</summary>
    public double PedestrianInCorridorPerHour { get; init; } = 2;

    /// <summary><c>Report:Score:LaneDeparturePerHour</c>: points off per <c>lane_departure</c> event per hour.</summary>
    public double LaneDeparturePerHour { get; init; } = 1;

    /// <summary><c>Report:Score:CameraObstructedPerHour</c>: points off per <c>camera_obstructed</c> event per hour (0: not the driver's doing).</summary>
    public double CameraObstructedPerHour { get; init; }

    /// <summary><c>Report:Score:CriticalTimeToContactPercent</c>: points off per percent of the trip under the critical time-to-contact.</summary>
    public double CriticalTimeToContactPercent { get; init; } = 4;

    /// <summary><c>Report:Score:WarningTimeToContactPercent</c>: points off per percent of the trip under the warning time-to-contact.</summary>
    public double WarningTimeToContactPercent { get; init; } = 1;

    /// <summary><c>Report:Score:PedestrianInCorridorPercent</c>: points off per percent of the trip with a pedestrian in the corridor.</summary>
    public double PedestrianInCorridorPercent { get; init; } = 0.5;

    /// <summary>Reads and checks the section (absent: the defaults).</summary>
    public static ReportSettings Read(ConfigReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.OnlyKnown("Report", "CriticalTimeToContactSeconds", "WarningTimeToContactSeconds", "Score");
        reader.OnlyKnown("Report:Score", "MinimumHours", "VehicleClosePerHour", "PedestrianInCorridorPerHour", "LaneDeparturePerHour",
            "CameraObstructedPerHour", "CriticalTimeToContactPercent", "WarningTimeToContactPercent", "PedestrianInCorridorPercent");
        var defaults = new ReportSettings();
        var critical = reader.Double("Report:CriticalTimeToContactSeconds", defaults.CriticalTimeToContactSeconds, 0.01, 60);
        var warning = reader.Double("Report:WarningTimeToContactSeconds", defaults.WarningTimeToContactSeconds, 0.01, 60);
        if (warning < critical)
        {
            reader.Fail("Report:WarningTimeToContactSeconds", reader.Raw("Report:WarningTimeToContactSeconds") ?? "3",
                $"must be at least Report:CriticalTimeToContactSeconds ({critical})");
        }

        return new ReportSettings
        {
            CriticalTimeToContactSeconds = critical,
            WarningTimeToContactSeconds = warning,
            ScoreMinimumHours = reader.Double("Report:Score:MinimumHours", defaults.ScoreMinimumHours, 0, 1000),
            VehicleClosePerHour = Weight(reader, "VehicleClosePerHour", defaults.VehicleClosePerHour),
            PedestrianInCorridorPerHour = Weight(reader, "PedestrianInCorridorPerHour", defaults.PedestrianInCorridorPerHour),
            LaneDeparturePerHour = Weight(reader, "LaneDeparturePerHour", defaults.LaneDeparturePerHour),
            CameraObstructedPerHour = Weight(reader, "CameraObstructedPerHour", defaults.CameraObstructedPerHour),
            CriticalTimeToContactPercent = Weight(reader, "CriticalTimeToContactPercent", defaults.CriticalTimeToContactPercent),
            WarningTimeToContactPercent = Weight(reader, "WarningTimeToContactPercent", defaults.WarningTimeToContactPercent),
            PedestrianInCorridorPercent = Weight(reader, "PedestrianInCorridorPercent", defaults.PedestrianInCorridorPercent),
        };
    }

    private static double Weight(ConfigReader reader, string name, double defaultValue) => reader.Double("Report:Score:" + name, defaultValue, 0, 100);
}
