namespace EdgeSeg.Service.LivePage;

/// <summary>A consistent copy of one source's live figures, taken by <see cref="LiveSource.Read"/>.</summary>
/// <param name="Figures">The latest frame's scene figures; null before the first frame.</param>
/// <param name="LatencySeconds">The latest frame's capture-to-publish time; null before the first frame.</param>
/// <param name="MeanLatencySeconds">Capture-to-publish time, exponentially smoothed over about the last 10 frames.</param>
/// <param name="Events">The latest events, newest first.</param>
internal sealed record LiveSourceReading(
    Appliance.SceneFigures? Figures,
    double? LatencySeconds,
    double? MeanLatencySeconds,
    IReadOnlyList<LiveEvent> Events);
