namespace EdgeSeg.Benchmarks.Inference;

/// <summary>Finds the committed test models from wherever BenchmarkDotNet runs the benchmark process.</summary>
internal static class BenchModels
{
    public static string Path(string name)
    {
        var fromEnv = Environment.GetEnvironmentVariable("EDGESEG_ROOT");
        for (var dir = new DirectoryInfo(fromEnv ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeSeg.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "tests", "models", name + ".onnx");
            }
        }

        throw new DirectoryNotFoundException($"No EdgeSeg.sln above {AppContext.BaseDirectory}; set EDGESEG_ROOT to the repository.");
    }
}
