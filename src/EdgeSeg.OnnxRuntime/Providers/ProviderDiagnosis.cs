using System.Text.RegularExpressions;

namespace EdgeSeg.OnnxRuntime.Providers;

/// <summary>
/// Turns ONNX Runtime's message for a provider that could not be set up into one sentence a site can act on: the
/// library that is missing and what to install.
/// </summary>
internal static partial class ProviderDiagnosis
{
    /// <summary>The reason a provider is unusable: the missing library and its remedy first, then the runtime's own words.</summary>
    public static string Explain(string provider, string nativeMessage)
    {
        // "/onnxruntime_src/.../provider_bridge_ort.cc:2059 onnxruntime::Provider& ...Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load ..."
        var message = SourcePrefix().Replace(OneLine(nativeMessage), string.Empty);
        var missing = MissingLibrary(message);
        if (missing is null)
        {
            return message;
        }

        if (missing.StartsWith("libonnxruntime_providers_", StringComparison.Ordinal))
        {
            return $"{missing} is not beside the loaded ONNX Runtime: this build has no {provider} provider "
                + $"(the linux-x64 package has it; a site build must bring its own) ({message})";
        }

        var known = GpuLibrary.Bundled.FirstOrDefault(l => l.FileName == missing);
        return known is null
            ? $"{missing} was not found (ONNX Runtime: {message})"
            : $"{missing} ({known.Component}) was not found: install {known.Install} (ONNX Runtime: {message})";
    }

    /// <summary>The shared library the loader could not open, from a dlopen message, or null.</summary>
    public static string? MissingLibrary(string message)
    {
        var match = CannotOpen().Match(message);
        if (match.Success)
        {
            return match.Groups["lib"].Value;
        }

        // "Failed to load library libonnxruntime_providers_cuda.so with error: ..." without a dlopen reason of its own.
        match = FailedToLoad().Match(message);
        return match.Success ? Path.GetFileName(match.Groups["lib"].Value) : null;
    }

    /// <summary>The message on one line: the runtime's messages may hold line breaks, a journal line must not.</summary>
    public static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"(?<lib>lib[A-Za-z0-9_+.\-]+?\.so(\.[0-9]+)*): cannot open shared object file")]
    private static partial Regex CannotOpen();

    [GeneratedRegex(@"Failed to load (shared )?library (?<lib>\S+\.so(\.[0-9]+)*)")]
    private static partial Regex FailedToLoad();

    [GeneratedRegex(@"^.*?\[ONNXRuntimeError\] : [0-9]+ : [A-Z_]+ : ")]
    private static partial Regex SourcePrefix();

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex Whitespace();
}
