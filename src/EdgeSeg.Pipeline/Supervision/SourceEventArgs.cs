namespace EdgeSeg.Pipeline.Supervision;

/// <summary>A source's state changed, or an open attempt failed.</summary>
public sealed class SourceEventArgs(string sourceId, SourceState state, string? reason, long openAttempts, bool stateChanged) : EventArgs
{
    /// <summary>The source.</summary>
    public string SourceId { get; } = sourceId;

    /// <summary>Its state now.</summary>
    public SourceState State { get; } = state;

    /// <summary>Why (an error message, "end of stream"); null when running.</summary>
    public string? Reason { get; } = reason;

    /// <summary>Open attempts so far.</summary>
    public long OpenAttempts { get; } = openAttempts;

    /// <summary>True for a state change, false for another failed attempt in the same state.</summary>
    public bool StateChanged { get; } = stateChanged;
}
