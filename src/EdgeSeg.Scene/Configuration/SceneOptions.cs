using System.Globalization;

namespace EdgeSeg.Scene.Configuration;

/// <summary>
/// Everything the scene analysis and the event tracker are configured with. Plain settable properties so the service
/// can bind a configuration section (conventionally <c>Scene</c>) onto it; call <see cref="Validate"/> before use.
/// </summary>
public sealed class SceneOptions
{
    /// <summary>The configuration section the service binds, used to name keys in validation errors.</summary>
    public const string SectionName = "Scene";

    /// <summary>
    /// Named zones whose class coverage is reported. When empty and <see cref="UseDefaultZones"/> is true, the zones
    /// of <see cref="CreateDefaultZones"/> are used.
    /// </summary>
    public IList<ZoneOptions> Zones { get; } = new List<ZoneOptions>();

    /// <summary>Use <see cref="CreateDefaultZones"/> when <see cref="Zones"/> is empty. Default true.</summary>
    public bool UseDefaultZones { get; set; } = true;

    /// <summary>The ego corridor.</summary>
    public CorridorOptions Corridor { get; set; } = new();

    /// <summary>Smallest vehicle or pedestrian connected component, in pixels, reported as an object. Default 150.</summary>
    public int MinObjectArea { get; set; } = 150;

    /// <summary>Most objects reported per frame; the largest are kept. Default 64.</summary>
    public int MaxObjects { get; set; } = 64;

    /// <summary>Lane boundary fitting.</summary>
    public LaneOptions Lane { get; set; } = new();

    /// <summary>Proximity and closing-rate estimation.</summary>
    public ProximityOptions Proximity { get; set; } = new();

    /// <summary>Optional camera calibration; null reports no distances in metres.</summary>
    public CameraCalibrationOptions? Calibration { get; set; }

    /// <summary>Event thresholds and timings.</summary>
    public EventOptions Events { get; set; } = new();

    /// <summary>
    /// The default zones for a forward dashcam: <c>left</c>, <c>ahead</c> and <c>right</c> thirds of the lower half
    /// of the frame. A new list each call; the caller owns it.
    /// </summary>
    public static IReadOnlyList<ZoneOptions> CreateDefaultZones() =>
    [
        new("left", new(0, 0.5), new(1.0 / 3, 0.5), new(1.0 / 3, 1), new(0, 1)),
        new("ahead", new(1.0 / 3, 0.5), new(2.0 / 3, 0.5), new(2.0 / 3, 1), new(1.0 / 3, 1)),
        new("right", new(2.0 / 3, 0.5), new(1, 0.5), new(1, 1), new(2.0 / 3, 1)),
    ];

    /// <summary>The zones the analyser uses: <see cref="Zones"/>, or the defaults when that is empty and allowed.</summary>
    public IReadOnlyList<ZoneOptions> EffectiveZones() =>
        Zones.Count == 0 && UseDefaultZones ? CreateDefaultZones() : [.. Zones];

    /// <summary>
    /// Checks every setting and returns every error (empty when valid). Each error names the configuration key under
    /// <paramref name="section"/>, the value found and the rule it breaks.
    /// </summary>
    public IReadOnlyList<string> Validate(string section = SectionName)
    {
        var e = new OptionErrors();
        var p = string.IsNullOrEmpty(section) ? string.Empty : section + ":";
        ValidateZones(e, p);
        ValidateCorridor(e, p + "Corridor", Corridor);
        e.Range(p + "MinObjectArea", MinObjectArea, 1, int.MaxValue);
        e.Range(p + "MaxObjects", MaxObjects, 1, 4096);
        ValidateLane(e, p + "Lane", Lane);
        ValidateProximity(e, p + "Proximity", Proximity);
        if (Calibration is { } calibration)
        {
            ValidateCalibration(e, p + "Calibration", calibration);
        }

        ValidateEvents(e, p + "Events", Events);
        return e.Errors;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every error of <see cref="Validate"/>, if any.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public void ThrowIfInvalid(string section = SectionName)
    {
        var errors = Validate(section);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid scene options ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", errors));
        }
    }

    private void ValidateZones(OptionErrors e, string p)
    {
        if (Zones is null)
        {
            e.Add(p + "Zones", null, "must be a list (possibly empty)");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Zones.Count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{p}Zones:{i}");
            var zone = Zones[i];
            if (zone is null)
            {
                e.Add(key, null, "must be a zone with a Name and Points");
                continue;
            }

            if (string.IsNullOrWhiteSpace(zone.Name))
            {
                e.Add(key + ":Name", zone.Name, "must be a non-empty name");
            }
            else if (!names.Add(zone.Name))
            {
                e.Add(key + ":Name", zone.Name, "must be unique among the zones");
            }

            if (zone.Points is null || zone.Points.Count < 3)
            {
                e.Add(key + ":Points", zone.Points?.Count ?? 0, "must list at least 3 vertices");
                continue;
            }

            for (var j = 0; j < zone.Points.Count; j++)
            {
                var pointKey = string.Create(CultureInfo.InvariantCulture, $"{key}:Points:{j}");
                if (zone.Points[j] is not { } point)
                {
                    e.Add(pointKey, null, "must be a point with X and Y");
                    continue;
                }

                e.Range(pointKey + ":X", point.X, 0, 1);
                e.Range(pointKey + ":Y", point.Y, 0, 1);
            }
        }
    }

    private static void ValidateCorridor(OptionErrors e, string p, CorridorOptions? c)
    {
        if (c is null)
        {
            e.Add(p, null, "must be set");
            return;
        }

        e.Range(p + ":CenterX", c.CenterX, 0, 1);
        e.Range(p + ":BottomY", c.BottomY, 0, 1, minExclusive: true);
        e.Range(p + ":TopY", c.TopY, 0, 1, maxExclusive: true);
        if (c.TopY >= c.BottomY)
        {
            e.Add(p + ":TopY", c.TopY, string.Create(CultureInfo.InvariantCulture, $"must be above (less than) {p}:BottomY ({c.BottomY})"));
        }

        e.Range(p + ":BottomWidth", c.BottomWidth, 0, 2, minExclusive: true);
        e.Range(p + ":TopWidth", c.TopWidth, 0, 2);
        e.Range(p + ":MinPresencePixels", c.MinPresencePixels, 1, int.MaxValue);
    }

    private static void ValidateLane(OptionErrors e, string p, LaneOptions? l)
    {
        if (l is null)
        {
            e.Add(p, null, "must be set");
            return;
        }

        e.Range(p + ":RegionTop", l.RegionTop, 0, 1, maxExclusive: true);
        e.Range(p + ":ReferenceY", l.ReferenceY, 0, 1);
        if (l.ReferenceY < l.RegionTop)
        {
            e.Add(p + ":ReferenceY", l.ReferenceY, string.Create(CultureInfo.InvariantCulture, $"must not be above {p}:RegionTop ({l.RegionTop})"));
        }

        e.Range(p + ":CameraX", l.CameraX, 0, 1);
        e.Range(p + ":MaxMarkingWidth", l.MaxMarkingWidth, 0, 1, minExclusive: true);
        e.Range(p + ":InlierTolerance", l.InlierTolerance, 0, 0.5, minExclusive: true);
        e.Range(p + ":MinSupport", l.MinSupport, 0, 1, minExclusive: true);
        e.Range(p + ":MinSpan", l.MinSpan, 0, 1);
        e.Range(p + ":MinLaneWidth", l.MinLaneWidth, 0, 2, minExclusive: true);
        e.Range(p + ":Iterations", l.Iterations, 1, 256);
    }

    private static void ValidateProximity(OptionErrors e, string p, ProximityOptions? x)
    {
        if (x is null)
        {
            e.Add(p, null, "must be set");
            return;
        }

        e.Range(p + ":HorizonY", x.HorizonY, 0, 1, maxExclusive: true);
        e.Range(p + ":SmoothingSeconds", x.SmoothingSeconds, 0, 3600, minExclusive: true);
        e.Range(p + ":MaxJump", x.MaxJump, 0, 1, minExclusive: true);
        e.Range(p + ":MaxGapSeconds", x.MaxGapSeconds, 0, 3600, minExclusive: true);
        e.Range(p + ":MinClosingRate", x.MinClosingRate, 0, 100, minExclusive: true);
    }

    private static void ValidateCalibration(OptionErrors e, string p, CameraCalibrationOptions c)
    {
        e.Range(p + ":MountingHeightMetres", c.MountingHeightMetres, 0, 100, minExclusive: true);
        if (c.FocalLengthPixels is { } f)
        {
            e.Range(p + ":FocalLengthPixels", f, 0, 1e6, minExclusive: true);
        }
        else if (c.HorizontalFovDegrees is { } fov)
        {
            e.Range(p + ":HorizontalFovDegrees", fov, 0, 180, minExclusive: true, maxExclusive: true);
        }
        else
        {
            e.Add(p + ":FocalLengthPixels", null, $"one of {p}:FocalLengthPixels or {p}:HorizontalFovDegrees must be set");
        }

        if (c.HorizonY is { } horizon)
        {
            e.Range(p + ":HorizonY", horizon, 0, 1, maxExclusive: true);
        }
        else if (c.PitchDegrees is { } pitch)
        {
            e.Range(p + ":PitchDegrees", pitch, -45, 45);
        }
        else
        {
            e.Add(p + ":HorizonY", null, $"one of {p}:HorizonY or {p}:PitchDegrees must be set");
        }
    }

    private static void ValidateEvents(OptionErrors e, string p, EventOptions? ev)
    {
        if (ev is null)
        {
            e.Add(p, null, "must be set");
            return;
        }

        if (ValidateTiming(e, p + ":PedestrianInCorridor", ev.PedestrianInCorridor) is { } ped)
        {
            e.Range(p + ":PedestrianInCorridor:StartFraction", ped.StartFraction, 0, 1, minExclusive: true);
            e.Range(p + ":PedestrianInCorridor:EndFraction", ped.EndFraction, 0, ped.StartFraction);
        }

        if (ValidateTiming(e, p + ":VehicleClose", ev.VehicleClose) is { } veh)
        {
            e.Range(p + ":VehicleClose:StartProximity", veh.StartProximity, 0, 1, minExclusive: true);
            e.Range(p + ":VehicleClose:EndProximity", veh.EndProximity, 0, veh.StartProximity);
            e.Range(p + ":VehicleClose:StartTimeToContactSeconds", veh.StartTimeToContactSeconds, 0, 3600);
            e.Range(p + ":VehicleClose:EndTimeToContactSeconds", veh.EndTimeToContactSeconds, veh.StartTimeToContactSeconds, 3600);
        }

        if (ValidateTiming(e, p + ":LaneDeparture", ev.LaneDeparture) is { } lane)
        {
            e.Range(p + ":LaneDeparture:StartOffset", lane.StartOffset, 0, 5, minExclusive: true);
            e.Range(p + ":LaneDeparture:EndOffset", lane.EndOffset, 0, lane.StartOffset);
            e.Range(p + ":LaneDeparture:MinLaneConfidence", lane.MinLaneConfidence, 0, 1);
        }

        if (ValidateTiming(e, p + ":CameraObstructed", ev.CameraObstructed) is { } obs)
        {
            e.Range(p + ":CameraObstructed:StartRoadFraction", obs.StartRoadFraction, 0, 1);
            e.Range(p + ":CameraObstructed:EndRoadFraction", obs.EndRoadFraction, obs.StartRoadFraction, 1);
            e.Range(p + ":CameraObstructed:StartConfidence", obs.StartConfidence, 0, 1);
            e.Range(p + ":CameraObstructed:EndConfidence", obs.EndConfidence, obs.StartConfidence, 1);
        }
    }

    private static T? ValidateTiming<T>(OptionErrors e, string p, T? t)
        where T : EventTimingOptions
    {
        if (t is null)
        {
            e.Add(p, null, "must be set");
            return null;
        }

        e.Range(p + ":StartAfterSeconds", t.StartAfterSeconds, 0, 86_400);
        e.Range(p + ":EndAfterSeconds", t.EndAfterSeconds, 0, 86_400);
        e.Range(p + ":MinFrames", t.MinFrames, 2, 1_000_000);
        e.Range(p + ":UpdateIntervalSeconds", t.UpdateIntervalSeconds, 0, 86_400, minExclusive: true);
        return t;
    }
}
