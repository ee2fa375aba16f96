namespace EdgeSeg.Scene.Metrics;

/// <summary>What is inside the ego corridor.</summary>
/// <param name="Coverage">Pixel counts per class inside the corridor.</param>
/// <param name="VehiclePresent">At least the configured presence threshold of vehicle pixels is inside.</param>
/// <param name="PedestrianPresent">At least the configured presence threshold of pedestrian pixels is inside.</param>
public readonly record struct CorridorMetrics(ClassCoverage Coverage, bool VehiclePresent, bool PedestrianPresent)
{
    /// <summary>Fraction of the corridor that is road or lane marking.</summary>
    public double DrivableFraction => Coverage.DrivableFraction;

    /// <summary>Fraction of the corridor that is vehicle.</summary>
    public double VehicleFraction => Coverage.Fraction(Core.Classes.ApplianceClass.Vehicle);

    /// <summary>Fraction of the corridor that is pedestrian.</summary>
    public double PedestrianFraction => Coverage.Fraction(Core.Classes.ApplianceClass.Pedestrian);
}
