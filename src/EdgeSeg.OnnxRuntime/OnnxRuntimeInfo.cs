namespace EdgeSeg.OnnxRuntime;

/// <summary>The loaded ONNX Runtime library. Immutable.</summary>
/// <param name="LibraryPath">The file this process really mapped (read back from the kernel, not assumed).</param>
/// <param name="Version">Its version string, e.g. <c>1.32.0</c>.</param>
/// <param name="AvailableProviders">
/// The execution providers the build was compiled with (e.g. <c>CUDAExecutionProvider</c>). A listed GPU provider may
/// still be unusable: its CUDA, cuDNN or TensorRT libraries may be missing (see <see cref="OnnxRuntimeBackend.DescribeProviders"/>).
/// </param>
public sealed record OnnxRuntimeInfo(string LibraryPath, string Version, IReadOnlyList<string> AvailableProviders)
{
    /// <summary>The path configured (<c>Model:LibraryPath</c>), or null for the package's library.</summary>
    public string? RequestedPath { get; init; }
}
