using System.Diagnostics;
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
            Assert.Matches(@"twin-head\.onnx: model runs on cpu; skipped cuda \(UpdateCUDAProviderOptions: .*Failed to load library", text);
            Assert.Contains("  cpu: ok", text, StringComparison.Ordinal);
        }

        Assert.Contains("outputs da Float32 [1, 2, 18, 32], ll Float32 [1, 2, 72, 128]", text, StringComparison.Ordinal);
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
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgeseg.dll"), "doctor", "--library", missing])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.ModelUnavailable, process.ExitCode);
        var message = await stderr;
        Assert.Contains($"looked for libonnxruntime.so.1 at {missing} (the configured library path)", message, StringComparison.Ordinal);
        Assert.Contains("make setup", message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await stdout);
    }
}
