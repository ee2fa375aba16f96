using System.Text.RegularExpressions;

namespace EdgeSeg.OnnxRuntime;

/// <summary>An ONNX Runtime API call failed: carries the runtime's error code, its message and the API function's name.</summary>
public sealed partial class OnnxRuntimeException : Exception
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

    /// <summary>The API call that failed (e.g. <c>CreateSession</c>).</summary>
    public string Function { get; }

    /// <summary>The runtime's own message, unchanged.</summary>
    public string NativeMessage { get; }

    /// <summary>
    /// Translates the managed API's exception (message <c>[ErrorCode:InvalidProtobuf] text</c>) into ours, keeping the
    /// code, the runtime's text and the API call that failed.
    /// </summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException exception, string function)
    {
        var match = CodePrefix().Match(exception.Message);
        var code = match.Success && Enum.TryParse<OnnxRuntimeErrorCode>(match.Groups["code"].Value, out var parsed) ? parsed : OnnxRuntimeErrorCode.Fail;
        var text = match.Success ? match.Groups["text"].Value : exception.Message;
        return new OnnxRuntimeException(code, function, text, exception);
    }

    private OnnxRuntimeException(OnnxRuntimeErrorCode code, string function, string nativeMessage, Exception innerException)
        : base($"ONNX Runtime {function} failed ({code}): {nativeMessage}", innerException)
    {
        Code = code;
        Function = function;
        NativeMessage = nativeMessage;
    }

    [GeneratedRegex(@"^\[ErrorCode:(?<code>\w+)\] (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex CodePrefix();
}
