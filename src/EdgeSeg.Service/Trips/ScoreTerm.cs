namespace EdgeSeg.Service.Trips;

/// <summary>One term of the driver-safety score: a quantity of the trip times its configured weight.</summary>
/// <param name="Name">What is measured, with its unit (for example <c>vehicle_close per hour</c>).</param>
/// <param name="Setting">The configuration key of its weight.</param>
/// <param name="Quantity">The trip's value.</param>
/// <param name="Weight">Points off per unit.</param>
internal readonly record struct ScoreTerm(string Name, string Setting, double Quantity, double Weight)
{
    /// <summary>Points this term takes off.</summary>
    public double Points => Quantity * Weight;
}
