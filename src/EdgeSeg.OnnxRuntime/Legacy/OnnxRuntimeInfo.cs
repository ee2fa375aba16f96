namespace EdgeSeg.OnnxRuntime.Legacy;

/// <summary>The loaded ONNX Runtime library.</summary>
/// <param name="LibraryPath">The file loaded.</param>
/// <param name="Version">Its version string, e.g. <c>1.30.0</c>.</param>
/// <param name="AvailableProviders">
/// The execution providers the build lists (e.g. <c>CUDAExecutionProvider</c>). A listed GPU provider may still fail
/// to load: only opening a session with it proves it works.
/// </param>
public sealed record OnnxRuntimeInfo(string LibraryPath, string Version, IReadOnlyList<string> AvailableProviders);
