using Microsoft.ML.OnnxRuntime;
using EdgeSeg.OnnxRuntime.Providers;

namespace EdgeSeg.OnnxRuntime;

/// <summary>
/// ONNX Runtime's own log, routed into ours: the environment's logging function hands each message here instead of
/// the runtime printing it on stderr. While a thread opens a model its messages are collected for that open (a
/// provider that fails folds them into its one skip line); any other message goes to the log of the last model
/// opened, or to stderr as one line when no model was opened yet. Thread-safe.
/// </summary>
internal static class OrtLog
{
    [ThreadStatic]
    private static List<string>? t_capture;

    private static volatile Action<string>? s_sink;

    // Kept in a static field: the runtime holds the function pointer made from it for the life of the process.
    public static readonly DOrtLoggingFunction Function = Receive;

    /// <summary>Where messages outside an open go (the service's logger, set by each open that has a log).</summary>
    public static void UseSink(Action<string>? sink)
    {
        if (sink is not null)
        {
            s_sink = sink;
        }
    }

    /// <summary>Collects this thread's runtime messages until the returned scope ends; the scope hands them over.</summary>
    public static CaptureScope Capture() => new();

    /// <summary>One line: <c>onnxruntime error: message</c>.</summary>
    public static string Format(OrtLoggingLevel severity, string message) => $"onnxruntime {Name(severity)}: {ProviderDiagnosis.OneLine(message)}";

    private static void Receive(nint param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        // Called on the runtime's thread; must not throw back into native code.
        try
        {
            var line = Format(severity, message);
            if (t_capture is { } capture)
            {
                capture.Add(line);
                return;
            }

            if (s_sink is { } sink)
            {
                sink(line);
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A closed stderr or a disposed logger at shutdown: the message has nowhere to go.
        }
    }

    private static string Name(OrtLoggingLevel severity) => severity switch
    {
        OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => "verbose",
        OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => "info",
        OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => "warning",
        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => "error",
        _ => "fatal",
    };

    /// <summary>The messages one thread's open produced. Not thread-safe (one per thread).</summary>
    internal sealed class CaptureScope : IDisposable
    {
        private readonly List<string>? _outer = t_capture;
        private readonly List<string> _lines = [];

        public CaptureScope() => t_capture = _lines;

        /// <summary>The messages so far; the list is cleared.</summary>
        public IReadOnlyList<string> Take()
        {
            var lines = _lines.ToArray();
            _lines.Clear();
            return lines;
        }

        public void Dispose() => t_capture = _outer;
    }
}
