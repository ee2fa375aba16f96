using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// The provider preference list on this GPU-less machine: the GPU providers' libraries are absent beside
/// libonnxruntime.so.1, so appending them fails with ONNX Runtime's own message and the CPU runs the model.
/// </summary>
public sealed class ProviderFallbackTests
{
    private static bool CudaProviderInstalled =>
        File.Exists(Path.Combine(Path.GetDirectoryName(OnnxRuntimeLibrary.Load().LibraryPath)!, "libonnxruntime_providers_cuda.so"));

    [Fact]
    public void Open_CudaRequested_FallsBackToCpuAndLogsWhy()
    {
        var log = new List<string>();
        var options = new InferenceOptions { Providers = ["cuda", "cpu"], IntraOpThreads = 1, Log = log.Add };

        using var session = new OnnxRuntimeBackend().Open(TestModels.Path("quarter-fixed"), options);

        if (CudaProviderInstalled)
        {
            Assert.Equal("cuda", session.Providers.Active);
            return;
        }

        Assert.Equal("cpu", session.Providers.Active);
        var cuda = Assert.Single(session.Providers.Attempts, a => a.Provider == "cuda");
        Assert.False(cuda.Succeeded);
        // The runtime loads the provider library when the options are first touched: the failing call and its own message.
        Assert.Matches("^(CreateCUDAProviderOptions|UpdateCUDAProviderOptions|SessionOptionsAppendExecutionProvider_CUDA_V2): .*Failed to load library .*libonnxruntime_providers_", cuda.Reason);
        var line = Assert.Single(log);
        Assert.Equal($"quarter-fixed.onnx: model runs on cpu; skipped cuda ({cuda.Reason})", line);
    }

    [Fact]
    public void Open_DefaultPreference_SkipsTensorRtAndCudaThenRunsOnCpu()
    {
        using var session = new OnnxRuntimeBackend().Open(TestModels.Path("quarter-fixed"), new InferenceOptions { IntraOpThreads = 1 });

        if (CudaProviderInstalled)
        {
            return;
        }

        Assert.Equal(["tensorrt", "cuda", "cpu"], session.Providers.Attempts.Select(a => a.Provider));
        Assert.Equal([false, false, true], session.Providers.Attempts.Select(a => a.Succeeded));
        Assert.Contains("TensorRT", session.Providers.Attempts[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("model runs on cpu; skipped tensorrt (", session.Providers.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OnlyCudaAndItFails_ThrowsListingReasonsAndTheCpuHint()
    {
        if (CudaProviderInstalled)
        {
            return;
        }

        var ex = Assert.Throws<OnnxRuntimeException>(() =>
            new OnnxRuntimeBackend().Open(TestModels.Path("quarter-fixed"), new InferenceOptions { Providers = ["cuda"] }));

        Assert.Contains("No execution provider could open", ex.Message, StringComparison.Ordinal);
        Assert.Matches("cuda: (CreateCUDAProviderOptions|UpdateCUDAProviderOptions|SessionOptionsAppendExecutionProvider_CUDA_V2): ", ex.Message);
        Assert.Contains("Add \"cpu\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownProviderName_SkippedWithReason()
    {
        using var session = new OnnxRuntimeBackend().Open(TestModels.Path("quarter-fixed"), new InferenceOptions { Providers = ["openvino", "cpu"], IntraOpThreads = 1 });

        Assert.Equal("cpu", session.Providers.Active);
        Assert.Equal(new ProviderAttempt("openvino", false, "unknown provider; expected tensorrt, cuda or cpu"), session.Providers.Attempts[0]);
    }

    [Fact]
    public void Segmenter_CudaRequested_ExposesProviderReport()
    {
        var options = TestModels.CpuOptions();
        options.Inference.Providers = ["cuda", "cpu"];

        using var segmenter = OnnxRuntimeBackend.OpenSegmenter(TestModels.Path("twin-head"), null, options);

        Assert.Equal(CudaProviderInstalled ? "cuda" : "cpu", segmenter.Providers.Active);
    }
}
