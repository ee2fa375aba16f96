using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Inference;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Service.Tests.Inference;

/// <summary><c>edgeseg doctor</c>: the library, its providers, and which provider runs a model and why others were skipped.</summary>
public sealed class DoctorCommandTests
{
    private static bool CudaProviderInstalled =>
        OnnxRuntimeBackend.DescribeProviders(new InferenceOptions()).Single(p => p.Provider == "cuda").Usable;

    [Fact]
    public void Run_ModelWithCudaPreferred_ReportsLibraryProviderAndTheSkipReason()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new InferenceOptions { Providers = ["cuda", "cpu"], IntraOpThreads = 1 };

        var code = DoctorRunner.Run(RepoPaths.InRepo("tests", "models", "twin-head.onnx"), null, options, output, error);

        Assert.Equal(ExitCodes.Ok, code);
        var text = output.ToString();
        var library = OnnxRuntimeLibrary.Load();
        Assert.Contains($"onnxruntime: {library.Version} at {library.LibraryPath}", text, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", text, StringComparison.Ordinal);
        if (!CudaProviderInstalled)
        {
            Assert.Matches(@"twin-head\.onnx: model runs on cpu; skipped cuda \(AppendExecutionProvider_CUDA: lib[A-Za-z]+\.so\.[0-9]+ \(.+\) was not found: install ", text);
            Assert.Matches(@"  cuda: compiled in: yes; usable: no; why not: AppendExecutionProvider_CUDA: lib[A-Za-z]+\.so\.[0-9]+ \(.+\) was not found: install ", text);
            Assert.Contains("  cpu: ok", text, StringComparison.Ordinal);
        }

        Assert.Contains("outputs da Float32 [1, 2, 18, 32], ll Float32 [1, 2, 72, 128]", text, StringComparison.Ordinal);
        Assert.Contains("  cpu: compiled in: yes; usable: yes", text, StringComparison.Ordinal);
        Assert.Contains("  libcudnn.so.9 (cuDNN 9 for CUDA 13): ", text, StringComparison.Ordinal);
        Assert.Contains("  libnvinfer.so.10 (TensorRT 10 for CUDA 13): ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_LibraryPathToACopyOfTheCpuBuild_LoadsThatCopyAndRunsTheModel()
    {
        // A site's own build, as Model:LibraryPath (here --library) names it: the CPU package's library copied elsewhere.
        var package = typeof(DoctorCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OnnxRuntimeCpuPackage").Value!;
        var runtime = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var site = Directory.CreateTempSubdirectory("edgeseg-site-ort-");
        try
        {
            var copy = Path.Combine(site.FullName, "libonnxruntime.so");
            File.Copy(Path.Combine(package, "runtimes", runtime, "native", "libonnxruntime.so"), copy);

            var (code, stdout, stderr) = await RunEdgeSeg("doctor", "--library", copy, "--model", RepoPaths.InRepo("tests", "models", "twin-head.onnx"), "--providers", "cuda,cpu", "--threads", "1");

            Assert.Equal(ExitCodes.Ok, code);

            // The path is read back from the process's own mappings: the copy, not the package's GPU build, is loaded.
            Assert.Contains($"onnxruntime: {OnnxRuntimeLibrary.MinimumVersion}.", stdout, StringComparison.Ordinal);
            Assert.Contains($" at {copy}\n", stdout, StringComparison.Ordinal);
            Assert.Contains($"  cuda: compiled in: no; usable: no; why not: this ONNX Runtime build ({copy}) was compiled without CUDAExecutionProvider", stdout, StringComparison.Ordinal);
            Assert.Contains("twin-head.onnx: model runs on cpu; skipped cuda (", stdout, StringComparison.Ordinal);

            // ONNX Runtime's own log goes through ours: nothing of it lands raw on stderr.
            Assert.Equal(string.Empty, stderr);
        }
        finally
        {
            site.Delete(recursive: true);
        }
    }

    [Fact]
    public void Run_WithoutModel_ProbesProvidersInOrder()
    {
        var output = new StringWriter();

        var code = DoctorRunner.Run(null, null, new InferenceOptions(), output, new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        var text = output.ToString();
        Assert.Contains("preference: tensorrt, cuda, cpu", text, StringComparison.Ordinal);
        Assert.Contains(CudaProviderInstalled ? "a model would run on" : "a model would run on cpu; skipped tensorrt (", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MissingLibrary_FailsFastNamingWhatWasLookedForWhere()
    {
        // A fresh process: this one has already loaded the library.
        var missing = Path.Combine(Path.GetTempPath(), "edgeseg-no-ort", "libonnxruntime.so.1");

        var (code, stdout, message) = await RunEdgeSeg("doctor", "--library", missing);

        Assert.Equal(ExitCodes.ModelUnavailable, code);
        Assert.Contains($"looked for libonnxruntime.so.1 at {missing} (the configured library path)", message, StringComparison.Ordinal);
        Assert.Contains("make setup", message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunEdgeSeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgeseg.dll"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
