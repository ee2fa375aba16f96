using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeSeg.OpenCv.Native;

/// <summary>
/// Loads <c>libedgeseg_cv.so</c> once, from beside the assemblies, and checks its ABI version; every shim call goes
/// through <see cref="EnsureLoaded"/> first so the first use anywhere fails fast with a message that says what to do.
/// </summary>
internal static class ShimLibrary
{
    internal const string Name = "edgeseg_cv";
    internal const string FileName = "libedgeseg_cv.so";

    /// <summary>The <c>ECV_ABI_VERSION</c> this binding was written against.</summary>
    internal const int ExpectedAbiVersion = 1;

    private static readonly Lock Gate = new();
    private static volatile bool _loaded;
    private static Exception? _failure;
    private static nint _handle;

    /// <summary>The OpenCV version the shim was built against (major*10000 + minor*100 + patch).</summary>
    internal static int OpenCvVersion { get; private set; }

    /// <summary>Where the library was loaded from.</summary>
    internal static string LoadedFrom { get; private set; } = string.Empty;

    internal static void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        LoadOnce();
    }

    private static void LoadOnce()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            // A failed load is remembered: retrying dlopen per call would only repeat the same failure slowly.
            if (_failure is not null)
            {
                throw _failure;
            }

            try
            {
                Load();
                _loaded = true;
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or OpenCvException)
            {
                _failure = e is OpenCvException ? e : new DllNotFoundException(e.Message, e);
                throw _failure;
            }
        }
    }

    private static void Load()
    {
        var candidates = CandidatePaths();
        var path = candidates.FirstOrDefault(File.Exists) ?? throw new DllNotFoundException(
            $"The OpenCV shim {FileName} was not found; looked in: {string.Join(", ", candidates)}. " +
            "Run `make setup` (or scripts/setup.sh shim) to build it into .native/opencv-shim; the build copies it beside the assemblies.");

        if (!NativeLibrary.TryLoad(path, out _handle))
        {
            throw new DllNotFoundException(
                $"The OpenCV shim {path} exists but could not be loaded (a missing OpenCV library? check `ldd {path}`). " +
                "Run `make setup` to install OpenCV's packages and rebuild the shim.");
        }

        NativeLibrary.SetDllImportResolver(typeof(ShimLibrary).Assembly, Resolve);
        LoadedFrom = path;
        var status = EcvNative.RawVersion(out var abi, out var openCv);
        if (status != OpenCvStatus.Ok)
        {
            throw new OpenCvException(status, "ecv_version", EcvNative.LastError());
        }

        if (abi != ExpectedAbiVersion)
        {
            throw new DllNotFoundException(
                $"The OpenCV shim {path} has ABI version {abi}; this build of EdgeSeg.OpenCv needs {ExpectedAbiVersion}. " +
                "Run `make setup` (or scripts/setup.sh shim) to rebuild it from native/opencv-shim.");
        }

        OpenCvVersion = openCv;
        // OpenCV's own warnings (a failed open, a probe of another backend) would duplicate the shim's messages on
        // stderr; errors still show.
        _ = EcvNative.RawSetLogLevel(2);
    }

    private static string[] CandidatePaths()
    {
        var dirs = new List<string> { AppContext.BaseDirectory };
        var assemblyDir = Path.GetDirectoryName(typeof(ShimLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            dirs.Add(assemblyDir);
        }

        return dirs.Select(d => Path.GetFullPath(Path.Combine(d, FileName))).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Name ? _handle : 0;
}
