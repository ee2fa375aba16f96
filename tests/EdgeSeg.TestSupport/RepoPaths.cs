namespace EdgeSeg.TestSupport;

/// <summary>Where things are, found from the test assembly's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding EdgeSeg.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>
    /// The shared real data set (CamVid, camseq01): <c>EDGESEG_SHARED_DATA</c> when set, else <c>../shared/data</c>
    /// beside the repository. Null when neither exists; tests that need it use <see cref="SharedDataFactAttribute"/>.
    /// </summary>
    public static string? SharedData
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("EDGESEG_SHARED_DATA");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return Directory.Exists(fromEnv) ? fromEnv : null;
            }

            var beside = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
            return Directory.Exists(beside) ? beside : null;
        }
    }

    /// <summary>The shared data folder, or an exception saying how to provide it.</summary>
    public static string RequireSharedData() => SharedData
        ?? throw new DirectoryNotFoundException("The shared data set is not present: set EDGESEG_SHARED_DATA or place it at ../shared/data.");

    /// <summary>A path under the repository root.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    // The test assembly normally sits under the repository's artifacts/; a build with --artifacts-path elsewhere
    // falls back to the source folder recorded at build time, then to the working directory.
    private static string FindRoot()
    {
        var builtFrom = typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "EdgeSeg.RepoRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, builtFrom, Environment.CurrentDirectory })
        {
            if (string.IsNullOrEmpty(start))
            {
                continue;
            }

            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeSeg.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No EdgeSeg.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the tests from the repository.");
    }
}
