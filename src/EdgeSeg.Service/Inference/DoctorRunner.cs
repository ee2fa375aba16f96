using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OnnxRuntime.Providers;
using EdgeSeg.Service.Cli;

namespace EdgeSeg.Service.Inference;

/// <summary><c>edgeseg doctor</c>'s work; returns the exit code.</summary>
internal static class DoctorRunner
{
    public static int Run(
        string? modelPath, string? cardPath, InferenceOptions options, TextWriter output, TextWriter error, string? compareOn = null, int compareFrames = 100)
    {
        OnnxRuntimeInfo library;
        try
        {
            library = OnnxRuntimeLibrary.Load(options.LibraryPath);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InvalidOperationException)
        {
            error.WriteLine($"doctor: {ex.Message}");
            return ExitCodes.ModelUnavailable;
        }

        output.WriteLine($"onnxruntime: {library.Version} at {library.LibraryPath}");
        output.WriteLine($"providers the library lists: {string.Join(", ", library.AvailableProviders)} (a listed GPU provider may still fail to load)");
        output.WriteLine("providers:");
        foreach (var status in OnnxRuntimeBackend.DescribeProviders(options))
        {
            output.WriteLine($"  {status.Provider}: compiled in: {YesNo(status.CompiledIn)}; usable: {YesNo(status.Usable)}{(status.Reason is null ? string.Empty : $"; why not: {status.Reason}")}");
        }

        output.WriteLine("GPU libraries (as the loader finds them: LD_LIBRARY_PATH, then the ld.so cache):");
        foreach (var found in GpuLibraryScan.Run())
        {
            output.WriteLine(found.Found
                ? $"  {found.Library.FileName} ({found.Library.Component}): {found.Path}{(found.Version is null ? string.Empty : $", version {found.Version}")}"
                : $"  {found.Library.FileName} ({found.Library.Component}): not found");
        }

        output.WriteLine($"preference: {string.Join(", ", options.Providers)}");
        if (modelPath is null)
        {
            var probe = OnnxRuntimeBackend.ProbeProviders(options);
            foreach (var attempt in probe.Attempts)
            {
                output.WriteLine(attempt.Succeeded ? $"  {attempt.Provider}: ok" : $"  {attempt.Provider}: skipped: {attempt.Reason}");
            }

            output.WriteLine($"without a model: {probe.Summary.Replace("model runs on", "a model would run on", StringComparison.Ordinal)}");
            return probe.Attempts.Any(a => a.Succeeded) ? ExitCodes.Ok : ExitCodes.ModelUnavailable;
        }

        try
        {
            using var segmenter = OnnxRuntimeBackend.OpenSegmenter(modelPath, cardPath, new SegmenterOptions { Inference = options });
            foreach (var attempt in segmenter.Providers.Attempts)
            {
                output.WriteLine(attempt.Succeeded ? $"  {attempt.Provider}: ok" : $"  {attempt.Provider}: skipped: {attempt.Reason}");
            }

            output.WriteLine($"{Path.GetFileName(modelPath)}: {segmenter.Providers.Summary}");
            output.WriteLine($"card: {segmenter.CardSource} ({segmenter.Card.Name}); inputs {string.Join(", ", segmenter.ModelInputs)}; outputs {string.Join(", ", segmenter.ModelOutputs)}");
            return compareOn is null ? ExitCodes.Ok : Compare(segmenter, modelPath, cardPath, options, compareOn, compareFrames, output, error);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidOperationException)
        {
            error.WriteLine($"doctor: {ex.Message}");
            return ExitCodes.ModelUnavailable;
        }
    }

    /// <summary>The winner's masks against the CPU's on the frames of a clip; fails below <see cref="MaskAgreement.Goal"/>.</summary>
    private static int Compare(
        Segmenter segmenter, string modelPath, string? cardPath, InferenceOptions options, string clip, int frames, TextWriter output, TextWriter error)
    {
        var active = segmenter.Providers.Active;
        if (active == "cpu")
        {
            output.WriteLine($"compare: {Path.GetFileName(modelPath)} runs on cpu already; nothing to compare against the CPU");
            return ExitCodes.Ok;
        }

        var cpuOptions = new InferenceOptions
        {
            Providers = ["cpu"],
            IntraOpThreads = options.IntraOpThreads,
            GraphOptimization = options.GraphOptimization,
            LibraryPath = options.LibraryPath,
        };
        try
        {
            using var cpu = OnnxRuntimeBackend.OpenSegmenter(modelPath, cardPath, new SegmenterOptions { Inference = cpuOptions });
            var (count, pixels, equal) = MaskAgreement.Measure(segmenter, cpu, clip, Math.Max(1, frames));
            var share = pixels == 0 ? 0 : (double)equal / pixels;
            var met = count > 0 && share >= MaskAgreement.Goal;
            output.WriteLine(FormattableString.Invariant(
                $"compare: masks {active} vs cpu on {Path.GetFileName(clip)}: {share * 100:0.0000}% of pixels equal over {count} frames ({pixels - equal} of {pixels} differ); goal >= {MaskAgreement.Goal * 100:0.0}%: {(met ? "met" : "NOT met")}"));
            return met ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or OpenCv.OpenCvException or OnnxRuntimeException)
        {
            error.WriteLine($"doctor: comparing on {clip} failed: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
