using System.Runtime.InteropServices;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// Caps glibc's malloc arenas for the process. glibc gives a thread that meets contention its own arena (up to eight
/// per core), and memory freed into an arena stays there. ONNX Runtime, FFmpeg, OpenCV and the runtime all allocate
/// natively from several threads, so a long-running service spreads over many arenas during its first minutes: the
/// 30-minute soak measured about 60 MB more resident memory and a slow climb without the cap (docs/PERFORMANCE.md).
/// </summary>
internal static partial class MallocArenas
{
    /// <summary>The cap applied: glibc's own recommendation for memory-constrained services.</summary>
    public const int Limit = 2;

    /// <summary>The environment variable glibc reads itself; when it is set, it wins.</summary>
    public const string EnvironmentVariable = "MALLOC_ARENA_MAX";

    // mallopt's parameter number for the arena limit (malloc.h).
    private const int ArenaMax = -8;

    /// <summary>
    /// Applies <see cref="Limit"/> unless <see cref="EnvironmentVariable"/> is set. Call first thing in <c>Main</c>:
    /// arenas made before stay. A no-op (false) off Linux and on a C library without <c>mallopt</c> (musl).
    /// </summary>
    /// <returns>True when the cap was applied.</returns>
    public static bool Cap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(EnvironmentVariable) is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMax, Limit) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
