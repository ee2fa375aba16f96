using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Providers;

namespace EdgeSeg.OnnxRuntime;

/// <summary>
/// The <see cref="IInferenceBackend"/> over ONNX Runtime's official managed API (Microsoft.ML.OnnxRuntime). Stateless
/// beyond the process-wide library; thread-safe.
/// </summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    /// <summary>A backend using the library at <paramref name="libraryPath"/>, or the package's when null.</summary>
    /// <exception cref="OnnxRuntimeException">The library is missing, unloadable or too old.</exception>
    public OnnxRuntimeBackend(string? libraryPath = null)
    {
        Library = OnnxRuntimeLibrary.Load(libraryPath);
    }

    /// <summary>The loaded library.</summary>
    public OnnxRuntimeInfo Library { get; }

    /// <inheritdoc />
    public string Description => $"ONNX Runtime {Library.Version} ({Library.LibraryPath})";

    /// <inheritdoc />
    /// <exception cref="OnnxRuntimeException">No provider could open the model (a corrupt file, an unsupported operator, ...).</exception>
    public IInferenceSession Open(string modelPath, InferenceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.LibraryPath))
        {
            OnnxRuntimeLibrary.Load(options.LibraryPath);
        }

        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: {Path.GetFullPath(modelPath)}", modelPath);
        }

        return OnnxRuntimeSession.Open(modelPath, options);
    }

    /// <summary>
    /// Sets up each preferred provider in turn without opening a model, stopping at the first that works; the
    /// report says why the ones before it failed. A model may still fail on the winner.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The library is missing, unloadable or too old.</exception>
    public static ExecutionProviderReport ProbeProviders(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxRuntimeLibrary.Load(options.LibraryPath);
        return OnnxRuntimeSession.Probe(options);
    }

    /// <summary>
    /// Every provider EdgeSeg knows (<c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>): whether the loaded build has it, whether
    /// it can be set up here, and if not, which library is missing and what to install.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The library is missing, unloadable or too old.</exception>
    public static IReadOnlyList<ProviderStatus> DescribeProviders(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var library = OnnxRuntimeLibrary.Load(options.LibraryPath);
        return
        [
            .. new[] { ("tensorrt", "TensorrtExecutionProvider"), ("cuda", "CUDAExecutionProvider"), ("cpu", "CPUExecutionProvider") }
                .Select(p =>
                {
                    if (!library.AvailableProviders.Contains(p.Item2))
                    {
                        return new ProviderStatus(p.Item1, false, false, $"this ONNX Runtime build ({library.LibraryPath}) was compiled without {p.Item2}");
                    }

                    var reason = OnnxRuntimeSession.TryAppend(p.Item1, options);
                    return new ProviderStatus(p.Item1, true, reason is null, reason);
                }),
        ];
    }

    /// <summary>
    /// Opens a segmenter on this runtime: the convenience the service and the trainer use.
    /// </summary>
    /// <param name="modelPath">The ONNX model.</param>
    /// <param name="cardPath">Its card, or null for the <c>.json</c> beside it or its metadata.</param>
    /// <param name="options">Providers, threads, upsampling; null for defaults. <see cref="InferenceOptions.LibraryPath"/> picks the library.</param>
    /// <returns>The segmenter; the caller disposes it.</returns>
    public static Segmenter OpenSegmenter(string modelPath, string? cardPath = null, SegmenterOptions? options = null)
    {
        options ??= new SegmenterOptions();
        return new Segmenter(new OnnxRuntimeBackend(options.Inference.LibraryPath), modelPath, cardPath, options);
    }
}
