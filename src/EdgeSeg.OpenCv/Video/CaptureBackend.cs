namespace EdgeSeg.OpenCv.Video;

/// <summary>OpenCV video I/O backends EdgeSeg opens captures with (values are OpenCV's <c>cv::VideoCaptureAPIs</c>).</summary>
public enum CaptureBackend
{
    /// <summary>Let OpenCV probe its backends in turn (slow and noisy; prefer an explicit one).</summary>
    Any = 0,

    /// <summary>Video4Linux2, for <c>/dev/videoN</c> cameras.</summary>
    V4L2 = 200,

    /// <summary>FFmpeg, for files and RTSP/HTTP streams.</summary>
    Ffmpeg = 1900,
}
