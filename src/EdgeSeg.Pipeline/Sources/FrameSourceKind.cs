namespace EdgeSeg.Pipeline.Sources;

/// <summary>What a frame source reads.</summary>
public enum FrameSourceKind
{
    /// <summary>A video file (FFmpeg backend).</summary>
    File,

    /// <summary>A network stream: RTSP, HTTP, ... (FFmpeg backend). Live.</summary>
    Stream,

    /// <summary>A V4L2 camera, <c>/dev/videoN</c>. Live.</summary>
    Camera,

    /// <summary>Image files from a folder or a glob, in name order.</summary>
    ImageFolder,
}
