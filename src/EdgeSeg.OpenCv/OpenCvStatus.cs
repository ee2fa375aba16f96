namespace EdgeSeg.OpenCv;

/// <summary>The status codes of the edgeseg_cv shim (<c>ecv_status</c> in <c>edgeseg_cv.h</c>).</summary>
public enum OpenCvStatus
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A bad argument: a null pointer, a bad size, an unknown option.</summary>
    Argument = 1,

    /// <summary>OpenCV threw a <c>cv::Exception</c>.</summary>
    OpenCv = 2,

    /// <summary>A file or stream could not be opened, read or written.</summary>
    IO = 3,

    /// <summary>End of stream: no frame came (end of file, closed connection, read timeout).</summary>
    End = 4,

    /// <summary>A <c>std::exception</c> or anything else inside the shim.</summary>
    Internal = 5,

    /// <summary>The caller's buffer does not match, or cannot hold, the result.</summary>
    Size = 6,
}
