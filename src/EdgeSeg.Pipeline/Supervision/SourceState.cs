namespace EdgeSeg.Pipeline.Supervision;

/// <summary>Where a source's capture loop is.</summary>
public enum SourceState
{
    /// <summary>Not opened yet.</summary>
    Starting,

    /// <summary>Open and delivering frames.</summary>
    Running,

    /// <summary>A live source stopped (open failed, read error, end of stream, stall) and is being reopened with backoff.</summary>
    Reconnecting,

    /// <summary>A file or folder delivered its last frame.</summary>
    Ended,

    /// <summary>A file or folder could not be opened or read; it is not retried (the rest of the pipeline runs on).</summary>
    Faulted,

    /// <summary>The pipeline was stopped.</summary>
    Stopped,
}
