namespace EdgeSeg.Service.Trips;

/// <summary>What became of one input: a row of the final table.</summary>
/// <param name="Input">The input as given (or the file a folder or glob named).</param>
/// <param name="Status">done, skipped (already finished) or failed.</param>
/// <param name="Reason">Why it failed or was skipped; empty when done.</param>
/// <param name="Summary">The trip's summary when done now.</param>
internal sealed record TripOutcome(string Input, string Status, string Reason, TripSummary? Summary = null)
{
    public const string Done = "done";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
