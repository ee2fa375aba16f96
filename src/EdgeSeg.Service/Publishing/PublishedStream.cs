namespace EdgeSeg.Service.Publishing;

/// <summary>The rate-controllable streams of a source.</summary>
internal enum PublishedStream
{
    /// <summary>Mask PNGs.</summary>
    Mask,

    /// <summary>Metrics JSON.</summary>
    Metrics,

    /// <summary>Overlay JPEGs.</summary>
    Overlay,
}
