namespace EdgeSeg.Service.Health;

/// <summary>A source's state, since when, and why (the last error, if any).</summary>
/// <param name="State">The state.</param>
/// <param name="Since">When it entered the state.</param>
/// <param name="Detail">The reason (an error message), or null.</param>
internal sealed record SourceStatus(SourceState State, DateTimeOffset Since, string? Detail);
