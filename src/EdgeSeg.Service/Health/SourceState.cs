namespace EdgeSeg.Service.Health;

/// <summary>Where a source stands, as <c>/readyz</c> reports it.</summary>
internal enum SourceState
{
    /// <summary>Configured, not open yet.</summary>
    Starting,

    /// <summary>Delivering frames.</summary>
    Running,

    /// <summary>A live source lost and being reopened.</summary>
    Reconnecting,

    /// <summary>A finite source that delivered its last frame.</summary>
    Ended,

    /// <summary>Could not be opened or read and will not be retried (files).</summary>
    Failed,
}
