using EdgeSeg.OpenCv.Native;

namespace EdgeSeg.OpenCv;

/// <summary>The native OpenCV shim (<c>libedgeseg_cv.so</c>): load it at start-up to fail fast.</summary>
public static class CvLibrary
{
    /// <summary>
    /// Loads and version-checks the shim (once per process; later calls return at once). Throws
    /// <see cref="DllNotFoundException"/> naming the file and the folders searched, and saying to run <c>make setup</c>,
    /// when the library is missing, cannot be loaded or has another ABI version.
    /// </summary>
    public static void EnsureLoaded() => ShimLibrary.EnsureLoaded();

    /// <summary>The OpenCV version the shim was built against (loads the shim).</summary>
    public static Version OpenCvVersion
    {
        get
        {
            ShimLibrary.EnsureLoaded();
            var v = ShimLibrary.OpenCvVersion;
            return new Version(v / 10000, v / 100 % 100, v % 100);
        }
    }

    /// <summary>The full path the shim was loaded from (loads the shim).</summary>
    public static string LibraryPath
    {
        get
        {
            ShimLibrary.EnsureLoaded();
            return ShimLibrary.LoadedFrom;
        }
    }

    /// <summary>
    /// Whether captures honour <see cref="Video.VideoCaptureOptions.OpenTimeout"/> and
    /// <see cref="Video.VideoCaptureOptions.ReadTimeout"/> (OpenCV 4.5.3 and later; older versions open without them).
    /// </summary>
    public static bool SupportsCaptureTimeouts => OpenCvVersion >= new Version(4, 5, 3);
}
