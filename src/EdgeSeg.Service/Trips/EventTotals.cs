namespace EdgeSeg.Service.Trips;

/// <summary>One event type over a trip.</summary>
/// <param name="Count">Events started.</param>
/// <param name="PerHour">Events started per hour of the trip.</param>
/// <param name="TotalSeconds">Time the events lasted, from each start time to its end (or to the trip's end if still active).</param>
internal readonly record struct EventTotals(int Count, double PerHour, double TotalSeconds);
