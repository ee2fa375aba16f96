namespace EdgeSeg.OnnxRuntime.Providers;

/// <summary>Whether one GPU library loads on this box, from where, and which version it is. Immutable.</summary>
/// <param name="Library">The library looked for.</param>
/// <param name="Path">The file the loader opened (symbolic links followed), or null when it was not found.</param>
/// <param name="Version">The version in that file's name (<c>libcudnn.so.9.10.2</c>: 9.10.2; <c>libcuda.so.580.65.06</c>: the driver's), or null.</param>
/// <param name="Error">The loader's message when it could not be opened, or null.</param>
public sealed record GpuLibraryStatus(GpuLibrary Library, string? Path, string? Version, string? Error)
{
    /// <summary>True when the library loads.</summary>
    public bool Found => Path is not null;
}
