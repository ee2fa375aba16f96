using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Providers;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// The provider preference list on a GPU-less machine: the GPU package's CUDA and TensorRT providers are there but
/// the CUDA 13 libraries they link are not, so appending them fails, each is skipped with one line naming the missing
/// library and what to install, and the CPU runs the model.
/// </summary>
public sealed class ProviderFallbackTests
{
    private static bool CudaProviderInstalled =>
        OnnxRuntimeBackend.DescribeProviders(new InferenceOptions()).Single(p => p.Provider == "cuda").Usable;

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
        // The runtime loads the provider library when it is appended: the failing call, the missing library, what to
        // install, and the runtime's own message, on one line; the runtime's own log line about it is folded in.
        Assert.Matches(@"^AppendExecutionProvider_CUDA: lib[A-Za-z]+\.so\.[0-9]+ \(.+\) was not found: install .+ \(ONNX Runtime: Failed to load library .*libonnxruntime_providers_cuda\.so", cuda.Reason);
        Assert.DoesNotContain('\n', cuda.Reason!);
        Assert.Equal([$"quarter-fixed.onnx: cuda skipped: {cuda.Reason}", "quarter-fixed.onnx: model runs on cpu"], log);
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
        Assert.StartsWith("AppendExecutionProvider_Tensorrt: ", session.Providers.Attempts[0].Reason, StringComparison.Ordinal);
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
        Assert.Contains("cuda: AppendExecutionProvider_CUDA: ", ex.Message, StringComparison.Ordinal);
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

    [Fact]
    public void Open_DefaultPreference_LogsOneLinePerSkippedProviderThenTheWinner()
    {
        if (CudaProviderInstalled)
        {
            return;
        }

        var log = new List<string>();
        using var session = new OnnxRuntimeBackend().Open(TestModels.Path("quarter-fixed"), new InferenceOptions { IntraOpThreads = 1, Log = log.Add });

        Assert.Equal(3, log.Count);
        Assert.StartsWith("quarter-fixed.onnx: tensorrt skipped: AppendExecutionProvider_Tensorrt: ", log[0], StringComparison.Ordinal);
        Assert.StartsWith("quarter-fixed.onnx: cuda skipped: AppendExecutionProvider_CUDA: ", log[1], StringComparison.Ordinal);
        Assert.Equal("quarter-fixed.onnx: model runs on cpu", log[2]);
    }

    [Fact]
    public void DescribeProviders_ThisBox_CpuUsableAndEachUnusableOneNamesAMissingLibrary()
    {
        var statuses = OnnxRuntimeBackend.DescribeProviders(new InferenceOptions());

        Assert.Equal(["tensorrt", "cuda", "cpu"], statuses.Select(s => s.Provider));
        Assert.Equal(new ProviderStatus("cpu", true, true, null), statuses[2]);
        foreach (var status in statuses.Where(s => !s.Usable))
        {
            Assert.Matches(status.CompiledIn ? @"lib[A-Za-z_]+\.so[.0-9]* \(.+\) was not found: install " : "compiled without", status.Reason);
        }
    }
}
