using System.Reflection;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>The repository root: <see cref="RepoPaths.Root"/> when the binary sits inside it, else the path recorded at build time.</summary>
internal static class TestRepo
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        try
        {
            return RepoPaths.Root;
        }
        catch (DirectoryNotFoundException)
        {
            var recorded = typeof(TestRepo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "EdgeSegRepoRoot")?.Value;
            if (recorded is not null && File.Exists(System.IO.Path.Combine(recorded, "EdgeSeg.sln")))
            {
                return System.IO.Path.GetFullPath(recorded);
            }

            throw;
        }
    }
}
