namespace EdgeSeg.Service.Configuration;

/// <summary>What a source's URI names.</summary>
internal enum SourceKind
{
    /// <summary>Decided from the URI: a scheme means a stream, <c>/dev/videoN</c> a camera, a directory or glob a folder, else a file.</summary>
    Auto,

    /// <summary>A video file (finite unless looped).</summary>
    File,

    /// <summary>An RTSP/HTTP(S)/RTMP/UDP/TCP stream (live).</summary>
    Stream,

    /// <summary>A V4L2 camera, <c>/dev/videoN</c> (live).</summary>
    Camera,

    /// <summary>A folder of images or a glob, in name order (finite unless looped).</summary>
    Folder,
}
