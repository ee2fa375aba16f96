using System.Diagnostics;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.TestSupport;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>No managed allocation per frame, and no native memory leaked by failures or by open/close cycles.</summary>
[Collection(nameof(NonParallelGroup))]
public sealed class SegmenterResourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeseg-onnx-leaks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("quarter-fixed", UpsampleMode.Bilinear)]
    [InlineData("twin-head", UpsampleMode.Bilinear)]
    [InlineData("float16", UpsampleMode.Fast)]
    [InlineData("labels", UpsampleMode.Bilinear)]
    [InlineData("dynamic-full", UpsampleMode.Bilinear)]
    public void Segment_AfterFirstFrame_AllocatesNothing(string model, UpsampleMode mode)
    {
        using var segmenter = TestModels.Open(model, mode);
        var frame = SyntheticFrames.Make(160, 120, 11);
        var mask = new Mask(160, 120);
        var confidence = new float[160 * 120];
        segmenter.Segment(frame, mask, confidence);
        segmenter.Segment(frame, mask, confidence);

        Assert.Equal(0, Allocations.QuietestRound(() => segmenter.Segment(frame, mask, confidence)));
    }

    [Fact]
    public void OpenFailuresAndCycles_Repeated1000Times_ProcessMemoryStaysFlat()
    {
        var corrupt = SegmenterErrorTests.WriteCorruptModel(_dir);
        var mismatched = Path.Combine(_dir, "mismatched.json");
        File.WriteAllText(mismatched, File.ReadAllText(TestModels.CardPath("quarter-fixed")).Replace("\"width\": 96", "\"width\": 100", StringComparison.Ordinal));
        var missing = Path.Combine(_dir, "missing.onnx");
        var frame = SyntheticFrames.Make(96, 64, 3);
        var mask = new Mask(96, 64);
        var backend = new OnnxRuntimeBackend();
        var options = TestModels.CpuOptions();

        void Cycle()
        {
            Assert.Throws<FileNotFoundException>(() => new Segmenter(backend, missing, null, options));
            Assert.Throws<OnnxRuntimeException>(() => new Segmenter(backend, corrupt, TestModels.CardPath("quarter-fixed"), options));
            Assert.Throws<ModelCardException>(() => new Segmenter(backend, TestModels.Path("quarter-fixed"), mismatched, options));
            using var segmenter = new Segmenter(backend, TestModels.Path("quarter-fixed"), null, options);
            segmenter.Segment(frame, mask);
        }

        // Warm-up: the runtime's arenas, glibc's malloc arenas and the JIT reach their steady size (measured: resident
        // memory rises by ~25 MB over the first few hundred failed opens, then stays within a few MB).
        for (var i = 0; i < 300; i++)
        {
            Cycle();
        }

        var baseline = ResidentBytes();
        for (var i = 0; i < 1000; i++)
        {
            Cycle();
        }

        var growth = ResidentBytes() - baseline;

        // One leaked session, tensor or options object per cycle is 100 KB or more (x1000: 100 MB and up); the
        // allocator's drift after warm-up measured under 10 MB.
        Assert.True(growth < 48L * 1024 * 1024, $"resident memory grew by {growth / 1024} KiB over 1000 cycles");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
