using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Legacy;

/// <summary>
/// The <see cref="IInferenceBackend"/> over ONNX Runtime's C API. Stateless beyond the process-wide library; thread-safe.
/// </summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    /// <summary>A backend using the library at <paramref name="libraryPath"/>, or the one beside the application when null.</summary>
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

        var session = OnnxRuntimeSession.Open(modelPath, options);
        options.Log?.Invoke($"{Path.GetFileName(modelPath)}: {session.Providers.Summary}");
        return session;
    }

    /// <summary>
    /// Sets up each preferred provider in turn without opening a model, stopping at the first that works; the
    /// report says why the ones before it failed (the runtime's own message). A model may still fail on the winner.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The library is missing, unloadable or too old.</exception>
    public static ExecutionProviderReport ProbeProviders(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxRuntimeLibrary.Load(options.LibraryPath);
        return OnnxRuntimeSession.Probe(options);
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
