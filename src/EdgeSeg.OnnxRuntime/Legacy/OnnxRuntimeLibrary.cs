using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSeg.OnnxRuntime.Legacy.Native;

namespace EdgeSeg.OnnxRuntime.Legacy;

/// <summary>
/// Loads ONNX Runtime's native library once per process, checks its version, and owns the process-wide environment.
/// Thread-safe.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>The library's file name.</summary>
    public const string FileName = "libonnxruntime.so.1";

    /// <summary>The oldest version whose API this binding calls (API version 30).</summary>
    public static readonly Version MinimumVersion = new(1, 30);

    // ORT_LOGGING_LEVEL_ERROR: failures reach callers as exceptions; warnings would only add noise to the service log.
    private const int LoggingLevelError = 3;

    private static readonly Lock Gate = new();
    private static OnnxRuntimeInfo? s_info;
    private static OrtEnvHandle? s_env;

    /// <summary>Where the library is looked for by default: beside the application's assemblies.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>The loaded library, or null before <see cref="Load"/>.</summary>
    public static OnnxRuntimeInfo? Loaded
    {
        get
        {
            lock (Gate)
            {
                return s_info;
            }
        }
    }

    /// <summary>The process-wide environment (valid for the life of the process).</summary>
    internal static OrtEnvHandle Env => s_env ?? throw new InvalidOperationException("ONNX Runtime is not loaded.");

    /// <summary>
    /// Loads the library from <paramref name="libraryPath"/> (null: <see cref="DefaultPath"/>), checks its version and
    /// creates the environment. Later calls return the first result.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The file is missing, cannot be loaded, or is too old; the message says what was looked for where.</exception>
    /// <exception cref="InvalidOperationException">A different library is already loaded in this process.</exception>
    public static unsafe OnnxRuntimeInfo Load(string? libraryPath = null)
    {
        lock (Gate)
        {
            var path = Path.GetFullPath(string.IsNullOrEmpty(libraryPath) ? DefaultPath : libraryPath);
            if (s_info is not null)
            {
                if (!string.IsNullOrEmpty(libraryPath) && path != s_info.LibraryPath)
                {
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from {s_info.LibraryPath}; a process uses one library, so {path} cannot be loaded too.");
                }

                return s_info;
            }

            var where = string.IsNullOrEmpty(libraryPath) ? "beside the application" : "the configured library path";
            var (table, version) = Open(path, where);
            OrtApi.Initialize(table);
            s_env = OrtApi.Instance.CreateEnv(LoggingLevelError, "edgeseg");
            s_info = new OnnxRuntimeInfo(path, version, OrtApi.Instance.GetAvailableProviders());
            return s_info;
        }
    }

    /// <summary>
    /// Loads the file at <paramref name="path"/>, checks it is ONNX Runtime of a version this binding supports, and
    /// returns its API table. Every failure names the file, where it was looked for, and how to install it.
    /// </summary>
    internal static unsafe (nint Table, string Version) Open(string path, string where)
    {
        const string Install = "Run `make setup` (scripts/setup.sh installs ONNX Runtime 1.30.0 into .native/onnxruntime, and the build copies "
            + "it beside the assemblies), or configure the path of a site's GPU build of ONNX Runtime 1.30.";
        if (!File.Exists(path))
        {
            throw new OnnxRuntimeException($"ONNX Runtime's native library was not found: looked for {FileName} at {path} ({where}). {Install}");
        }

        if (!NativeLibrary.TryLoad(path, out var library))
        {
            throw new OnnxRuntimeException($"ONNX Runtime's native library at {path} ({where}) could not be loaded (wrong architecture, or a missing dependency such as libstdc++). {Install}");
        }

        try
        {
            if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
            {
                throw new OnnxRuntimeException($"{path} does not export OrtGetApiBase: it is not ONNX Runtime. {Install}");
            }

            // const OrtApiBase* OrtGetApiBase(void); struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
            var apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
            var version = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)apiBase[1])()) ?? "unknown";
            if (!TryParseVersion(version, out var parsed) || parsed < MinimumVersion)
            {
                throw new OnnxRuntimeException($"ONNX Runtime at {path} is version {version}; EdgeSeg needs {MinimumVersion} or newer. {Install}");
            }

            var table = ((delegate* unmanaged<uint, nint>)apiBase[0])(OrtApi.ApiVersion);
            if (table == 0)
            {
                throw new OnnxRuntimeException($"ONNX Runtime {version} at {path} does not provide API version {OrtApi.ApiVersion}. {Install}");
            }

            return (table, version);
        }
        catch
        {
            // A file that is not a usable ONNX Runtime is not kept loaded.
            NativeLibrary.Free(library);
            throw;
        }
    }

    private static bool TryParseVersion(string text, out Version version)
    {
        var parts = text.Split('.', '-', '+');
        version = new Version(0, 0);
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Version(major, minor);
        return true;
    }
}
