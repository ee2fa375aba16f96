using EdgeSeg.Core.Segmentation;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>ONNX Runtime's own log reaches our logging as one line per message, not its own stderr.</summary>
public sealed class OrtLogTests
{
    [Fact]
    public void AppendCuda_WithoutTheCudaLibraries_TheRuntimesErrorLineArrivesThroughOurLogOnOneLine()
    {
        if (OnnxRuntimeBackend.DescribeProviders(new InferenceOptions()).Single(p => p.Provider == "cuda").Usable)
        {
            return;
        }

        using var capture = OrtLog.Capture();
        using var options = new Ort.SessionOptions();

        Assert.Throws<Ort.OnnxRuntimeException>(() => options.AppendExecutionProvider_CUDA(0));

        // The runtime logs the failed load itself (on stderr, were its log not ours) before it throws.
        var line = Assert.Single(capture.Take(), l => l.Contains("libonnxruntime_providers_cuda.so", StringComparison.Ordinal));
        Assert.StartsWith("onnxruntime error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Format_MultiLineMessage_OneLineWithTheSeverity()
    {
        Assert.Equal("onnxruntime warning: first second", OrtLog.Format(Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "first\n  second\n"));
    }
}
