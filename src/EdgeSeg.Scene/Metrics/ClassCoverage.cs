using EdgeSeg.Core.Classes;

namespace EdgeSeg.Scene.Metrics;

/// <summary>Pixel counts per appliance class over an area (the frame, a zone, the corridor).</summary>
/// <param name="Background">Background pixels (and any value that is not an appliance class).</param>
/// <param name="Road">Road pixels.</param>
/// <param name="Vehicle">Vehicle pixels.</param>
/// <param name="Pedestrian">Pedestrian pixels.</param>
/// <param name="LaneMarking">Lane-marking pixels.</param>
public readonly record struct ClassCoverage(int Background, int Road, int Vehicle, int Pedestrian, int LaneMarking)
{
    /// <summary>Pixels in the area.</summary>
    public int Total => Background + Road + Vehicle + Pedestrian + LaneMarking;

    /// <summary>Pixels of <paramref name="cls"/>.</summary>
    public int this[ApplianceClass cls] => cls switch
    {
        ApplianceClass.Background => Background,
        ApplianceClass.Road => Road,
        ApplianceClass.Vehicle => Vehicle,
        ApplianceClass.Pedestrian => Pedestrian,
        ApplianceClass.LaneMarking => LaneMarking,
        _ => throw new ArgumentOutOfRangeException(nameof(cls), cls, "Not an appliance class."),
    };

    /// <summary>Fraction of the area that is <paramref name="cls"/>; 0 for an empty area.</summary>
    public double Fraction(ApplianceClass cls) => Total == 0 ? 0 : (double)this[cls] / Total;

    /// <summary>Fraction of the area that is drivable (road plus lane marking); 0 for an empty area.</summary>
    public double DrivableFraction => Total == 0 ? 0 : (double)(Road + LaneMarking) / Total;
}
