namespace EdgeSeg.OpenCv;

/// <summary>
/// A failure reported by the edgeseg_cv shim: the status code, the shim function that failed and the shim's message.
/// </summary>
public sealed class OpenCvException : Exception
{
    /// <summary>Creates an exception with a message only (status <see cref="OpenCvStatus.Internal"/>).</summary>
    public OpenCvException()
        : this(OpenCvStatus.Internal, string.Empty, "OpenCV shim failure")
    {
    }

    /// <summary>Creates an exception with a message (status <see cref="OpenCvStatus.Internal"/>).</summary>
    public OpenCvException(string message)
        : this(OpenCvStatus.Internal, string.Empty, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception (status <see cref="OpenCvStatus.Internal"/>).</summary>
    public OpenCvException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = OpenCvStatus.Internal;
        Function = string.Empty;
        NativeMessage = message;
    }

    /// <summary>Creates an exception for a failed shim call.</summary>
    /// <param name="status">The status the shim returned.</param>
    /// <param name="function">The shim function, e.g. <c>ecv_capture_open</c>.</param>
    /// <param name="nativeMessage">The shim's message for the failure.</param>
    public OpenCvException(OpenCvStatus status, string function, string nativeMessage)
        : base(string.IsNullOrEmpty(function) ? nativeMessage : $"{function} failed ({status}): {nativeMessage}")
    {
        Status = status;
        Function = function;
        NativeMessage = nativeMessage;
    }

    /// <summary>The shim's status code.</summary>
    public OpenCvStatus Status { get; }

    /// <summary>The shim function that failed (empty when the failure was not a shim call).</summary>
    public string Function { get; }

    /// <summary>The shim's own message.</summary>
    public string NativeMessage { get; }
}
