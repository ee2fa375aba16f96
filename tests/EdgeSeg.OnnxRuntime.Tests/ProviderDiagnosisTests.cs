using EdgeSeg.OnnxRuntime.Providers;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>The runtime's provider failures (text as ONNX Runtime 1.32 writes it) turned into what to install.</summary>
public sealed class ProviderDiagnosisTests
{
    private const string CudaFailure =
        "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2059 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
        + "[ONNXRuntimeError] : 1 : FAIL : Failed to load library /opt/edgeseg/libonnxruntime_providers_cuda.so with error: "
        + "libcublasLt.so.13: cannot open shared object file: No such file or directory\n";

    [Fact]
    public void Explain_MissingCublasLt_NamesLibraryComponentAndInstall()
    {
        var reason = ProviderDiagnosis.Explain("cuda", CudaFailure);

        Assert.Equal(
            "libcublasLt.so.13 (cuBLASLt (CUDA 13)) was not found: install libcublas-13-0 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-cublas==13.* "
            + "(ONNX Runtime: Failed to load library /opt/edgeseg/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory)",
            reason);
    }

    [Fact]
    public void Explain_ProviderLibraryItselfMissing_SaysTheBuildHasNoSuchProvider()
    {
        var reason = ProviderDiagnosis.Explain("tensorrt", "Failed to load library libonnxruntime_providers_tensorrt.so with error: libonnxruntime_providers_tensorrt.so: cannot open shared object file: No such file or directory");

        Assert.StartsWith("libonnxruntime_providers_tensorrt.so is not beside the loaded ONNX Runtime: this build has no tensorrt provider", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownLibrary_NamesItWithoutAdvice()
    {
        var reason = ProviderDiagnosis.Explain("cuda", "Failed to load library x with error: libfoo.so.3: cannot open shared object file: No such file or directory");

        Assert.StartsWith("libfoo.so.3 was not found (ONNX Runtime: ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NoLibraryInMessage_ReturnsTheMessageOnOneLine()
    {
        Assert.Equal("CUDA failure 100: no CUDA-capable device is detected", ProviderDiagnosis.Explain("cuda", "CUDA failure 100:\n  no CUDA-capable device is detected"));
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libcudnn.so.9.10.2", "9.10.2")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libcuda.so.580.65.06", "580.65.06")]
    [InlineData("/site/nvidia/cu13/lib/libcublasLt.so.13", "13")]
    [InlineData("/usr/lib/libfoo.so", null)]
    public void VersionOf_LibraryFileName_ReadsTheSuffix(string path, string? version)
    {
        Assert.Equal(version, GpuLibraryScan.VersionOf(path));
    }

    [Fact]
    public void Find_LibraryThatIsThere_ReportsTheFileTheLoaderOpened()
    {
        // libstdc++ stands in for a GPU library: every box has it, under its soname, as a link to a versioned file.
        var status = GpuLibraryScan.Find(new GpuLibrary("libstdc++.so.6", "C++ runtime", "libstdc++6", []));

        Assert.True(status.Found);
        Assert.Matches(@"/libstdc\+\+\.so\.6\.[0-9.]+$", status.Path);
        Assert.StartsWith("6.", status.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_LibraryThatIsNot_ReportsTheLoaderMessage()
    {
        var status = GpuLibraryScan.Find(new GpuLibrary("libedgeseg-no-such.so.1", "nothing", "nothing", []));

        Assert.False(status.Found);
        Assert.Contains("libedgeseg-no-such.so.1", status.Error, StringComparison.Ordinal);
    }
}
