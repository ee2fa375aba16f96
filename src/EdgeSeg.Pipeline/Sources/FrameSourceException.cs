namespace EdgeSeg.Pipeline.Sources;

/// <summary>A frame source could not be opened or read; the message names the source and what is wrong.</summary>
public sealed class FrameSourceException : Exception
{
    /// <summary>Creates an exception without a source.</summary>
    public FrameSourceException()
        : this("A frame source failed.")
    {
    }

    /// <summary>Creates an exception without a source.</summary>
    public FrameSourceException(string message)
        : base(message)
    {
        SourceId = string.Empty;
        Uri = string.Empty;
    }

    /// <summary>Creates an exception without a source.</summary>
    public FrameSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceId = string.Empty;
        Uri = string.Empty;
    }

    /// <summary>Creates an exception for source <paramref name="sourceId"/> reading <paramref name="uri"/>.</summary>
    public FrameSourceException(string sourceId, string uri, string problem, Exception? innerException = null)
        : base($"Source '{sourceId}' ({uri}): {problem}", innerException)
    {
        SourceId = sourceId;
        Uri = uri;
    }

    /// <summary>The source's id.</summary>
    public string SourceId { get; }

    /// <summary>What the source reads.</summary>
    public string Uri { get; }
}
