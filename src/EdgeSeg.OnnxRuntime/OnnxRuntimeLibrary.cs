using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using EdgeSeg.OnnxRuntime.Native;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSeg.OnnxRuntime;

/// <summary>
/// Chooses ONNX Runtime's native library once per process (the package's, or a site's build named by
/// <c>Model:LibraryPath</c>), checks it, and creates the process-wide environment with the runtime's log routed
/// into ours. Thread-safe.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>The name the managed API imports (<c>[DllImport("onnxruntime")]</c>); on Linux the file is <c>libonnxruntime.so</c>.</summary>
    public const string ImportName = "onnxruntime";

    /// <summary>The file name of the library the package ships.</summary>
    public const string FileName = "libonnxruntime.so";


    private static readonly Lock Gate = new();
    private static OnnxRuntimeInfo? s_info;
    private static nint s_handle;
    private static bool s_resolverSet;

    /// <summary>The version of the managed API: the native library must be this version or newer.</summary>
    public static Version MinimumVersion { get; } = ManagedVersion();

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

    /// <summary>
    /// Loads the library from <paramref name="libraryPath"/> (null: the package's, found the way .NET finds a
    /// package's native assets), checks it, and creates the environment. Later calls return the first result.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The file is missing, cannot be loaded, is not ONNX Runtime, or is too old; the message says what was looked for where.</exception>
    /// <exception cref="InvalidOperationException">A different library is already loaded in this process.</exception>
    public static OnnxRuntimeInfo Load(string? libraryPath = null)
    {
        lock (Gate)
        {
            var requested = string.IsNullOrEmpty(libraryPath) ? null : Path.GetFullPath(libraryPath);
            if (s_info is not null)
            {
                if (requested is not null && requested != s_info.LibraryPath && requested != s_info.RequestedPath)
                {
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from {s_info.LibraryPath}; a process uses one library, so {requested} cannot be loaded too.");
                }

                return s_info;
            }

            var where = requested is null ? "the one that ships with EdgeSeg" : "the configured library path";
            var handle = Open(requested, where);
            var file = LoadedFiles.FileAt(Export(handle)) ?? requested ?? FileName;
            OrtEnv env;
            try
            {
                // ONNX Runtime's own resolver would search its own way: ours hands every import the library chosen here.
                if (!s_resolverSet)
                {
                    OrtEnv.DisableDllImportResolver = true;
                    NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
                    s_resolverSet = true;
                }

                s_handle = handle;
                var creation = new EnvironmentCreationOptions
                {
                    logId = "edgeseg",

                    // Warnings and errors: a provider falling back or a node placed on the CPU is worth a line in the journal.
                    logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                    loggingFunction = OrtLog.Function,
                };
                env = OrtEnv.CreateInstanceWithOptions(ref creation);
            }
            catch (Exception ex) when (ex is TypeInitializationException or EntryPointNotFoundException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime at {file} ({where}) could not be initialised: {(ex.InnerException ?? ex).Message}. It must be ONNX Runtime {MinimumVersion} or newer. {Install}",
                    ex);
            }

            var version = env.GetVersionString();
            if (!TryParseVersion(version, out var parsed) || parsed < MinimumVersion)
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime at {file} ({where}) is version {version}; EdgeSeg needs {MinimumVersion} or newer. {Install}");
            }

            s_info = new OnnxRuntimeInfo(file, version, env.GetAvailableProviders()) { RequestedPath = requested };
            return s_info;
        }
    }

    /// <summary>
    /// Loads the file at <paramref name="path"/> (null: the package's library) and checks that it is ONNX Runtime.
    /// Every failure names the file, where it was looked for, and what to do.
    /// </summary>
    internal static nint Open(string? path, string where)
    {
        nint handle;
        if (path is null)
        {
            if (!NativeLibrary.TryLoad(ImportName, typeof(OrtEnv).Assembly, null, out handle))
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime's native library was not found: looked for {FileName} beside the application and in its runtimes/ folder ({where}). "
                    + "Rebuild or republish EdgeSeg (`make setup`, `make install`) so that the package's library is copied beside it.");
            }
        }
        else
        {
            if (!File.Exists(path))
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime's native library was not found: looked for {Path.GetFileName(path)} at {path} ({where}). {Install} Or run `make setup`.");
            }

            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (DllNotFoundException ex)
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime's native library at {path} ({where}) could not be loaded (wrong architecture, or a missing dependency): {ex.Message}. {Install}",
                    ex);
            }
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _))
        {
            NativeLibrary.Free(handle);
            throw new OnnxRuntimeException($"{path ?? FileName} does not export OrtGetApiBase: it is not ONNX Runtime. {Install}");
        }

        return handle;
    }

    /// <summary>What to do about an unusable library.</summary>
    private static string Install =>
        "The library ships with EdgeSeg (the Microsoft.ML.OnnxRuntime packages; `make setup` builds it in): remove Model:LibraryPath "
        + $"(--library) to use it, or point it at a site's build of ONNX Runtime {MinimumVersion} or newer for this machine (a CUDA 12 or JetPack build).";

    private static nint Export(nint handle) => NativeLibrary.GetExport(handle, "OrtGetApiBase");

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName ? s_handle : 0;

    private static Version ManagedVersion()
    {
        var version = typeof(OrtEnv).Assembly.GetName().Version ?? new Version(1, 32);
        return new Version(version.Major, version.Minor);
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
