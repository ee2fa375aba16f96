namespace EdgeSeg.OnnxRuntime;

/// <summary>An ONNX Runtime API call failed: carries the runtime's error code, its message and the API function's name.</summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates the exception for a failed call of <paramref name="function"/>.</summary>
    public OnnxRuntimeException(OnnxRuntimeErrorCode code, string function, string nativeMessage)
        : base($"ONNX Runtime {function} failed ({code}): {nativeMessage}")
    {
        Code = code;
        Function = function;
        NativeMessage = nativeMessage;
    }

    /// <summary>Creates the exception with a message (not from a native status).</summary>
    public OnnxRuntimeException(string message)
        : this(message, null!)
    {
    }

    /// <summary>Creates the exception with a message and a cause (not from a native status).</summary>
    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = OnnxRuntimeErrorCode.Fail;
        Function = "(none)";
        NativeMessage = message;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public OnnxRuntimeException()
        : this("ONNX Runtime call failed.")
    {
    }

    /// <summary>The runtime's error code.</summary>
    public OnnxRuntimeErrorCode Code { get; }

    /// <summary>The C API function that failed (e.g. <c>CreateSession</c>).</summary>
    public string Function { get; }

    /// <summary>The runtime's own message, unchanged.</summary>
    public string NativeMessage { get; }
}
