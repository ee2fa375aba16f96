namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// An inference engine that opens models (our ONNX Runtime binding implements it; a site with another engine can
/// supply its own). Implementations are thread-safe.
/// </summary>
public interface IInferenceBackend
{
    /// <summary>The engine and its version, e.g. <c>ONNX Runtime 1.30.0</c>.</summary>
    string Description { get; }

    /// <summary>Opens <paramref name="modelPath"/>, trying the configured providers in order. The caller disposes the session.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    IInferenceSession Open(string modelPath, InferenceOptions options);
}
