using System.Runtime.InteropServices;
using EdgeSeg.OnnxRuntime.Native;

namespace EdgeSeg.OnnxRuntime.Providers;

/// <summary>
/// Finds the CUDA, cuDNN and TensorRT libraries the way ONNX Runtime will: by asking the dynamic loader for each soname
/// (LD_LIBRARY_PATH, the ld.so cache, the system folders), then reading which file it opened. Thread-safe.
/// </summary>
public static class GpuLibraryScan
{
    /// <summary>Each library of <see cref="GpuLibrary.Bundled"/> and <see cref="GpuLibrary.Cuda12"/>, in that order.</summary>
    public static IReadOnlyList<GpuLibraryStatus> Run() => [.. GpuLibrary.Bundled.Concat(GpuLibrary.Cuda12).Select(Find)];

    /// <summary>Loads <paramref name="library"/> by its soname and reports the file and version found.</summary>
    public static GpuLibraryStatus Find(GpuLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        nint handle;
        try
        {
            handle = NativeLibrary.Load(library.FileName);
        }
        catch (DllNotFoundException ex)
        {
            return new GpuLibraryStatus(library, null, null, ProviderDiagnosis.OneLine(ex.Message));
        }
        catch (BadImageFormatException ex)
        {
            return new GpuLibraryStatus(library, null, null, ProviderDiagnosis.OneLine(ex.Message));
        }

        try
        {
            var named = LoadedFiles.Named(library.FileName.Split(".so", 2)[0] + ".so");
            var mapped = named.Count > 0 ? named[0] : null;
            if (mapped is null)
            {
                return new GpuLibraryStatus(library, library.FileName, null, null);
            }

            var real = new FileInfo(mapped).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? mapped;
            return new GpuLibraryStatus(library, real, VersionOf(real), null);
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    /// <summary>The version in a library's file name: <c>libcudart.so.13.0.96</c> gives <c>13.0.96</c>; null without one.</summary>
    public static string? VersionOf(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var at = name.IndexOf(".so.", StringComparison.Ordinal);
        return at < 0 ? null : name[(at + 4)..];
    }
}
