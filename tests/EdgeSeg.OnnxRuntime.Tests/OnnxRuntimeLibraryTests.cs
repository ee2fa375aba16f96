namespace EdgeSeg.OnnxRuntime.Tests;

public sealed class OnnxRuntimeLibraryTests
{
    [Fact]
    public void Load_PackageLibrary_ReportsTheMappedFileItsVersionAndProviders()
    {
        var info = OnnxRuntimeLibrary.Load();

        Assert.Equal(OnnxRuntimeLibrary.FileName, Path.GetFileName(info.LibraryPath));
        Assert.True(File.Exists(info.LibraryPath), info.LibraryPath);
        Assert.StartsWith($"{OnnxRuntimeLibrary.MinimumVersion}.", info.Version, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", info.AvailableProviders);
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            // linux-x64 gets the GPU package: both GPU providers are compiled in, whatever the box has.
            Assert.Contains("CUDAExecutionProvider", info.AvailableProviders);
            Assert.Contains("TensorrtExecutionProvider", info.AvailableProviders);
        }
    }

    [Fact]
    public void Open_MissingFile_MessageNamesFileWhereAndMakeSetup()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", OnnxRuntimeLibrary.FileName);

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimeLibrary.Open(path, "the configured library path"));

        Assert.Contains($"looked for {OnnxRuntimeLibrary.FileName} at {path} (the configured library path)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("make setup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileThatIsNotALibrary_SaysItCouldNotBeLoaded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgeseg-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "this is text, not an ELF file");
        try
        {
            var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimeLibrary.Open(path, "the configured library path"));

            Assert.Contains($"{path} (the configured library path) could not be loaded", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_OtherSharedLibrary_SaysItIsNotOnnxRuntime()
    {
        // A real shared library without OrtGetApiBase: the OpenCV shim copied beside the tests.
        var path = Path.Combine(AppContext.BaseDirectory, "libedgeseg_cv.so");

        var ex = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimeLibrary.Open(path, "the configured library path"));

        Assert.Contains("does not export OrtGetApiBase: it is not ONNX Runtime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DifferentPathAfterLoad_Throws()
    {
        OnnxRuntimeLibrary.Load();

        var ex = Assert.Throws<InvalidOperationException>(() => OnnxRuntimeLibrary.Load("/opt/other/libonnxruntime.so"));

        Assert.Contains("already loaded from", ex.Message, StringComparison.Ordinal);
    }
}
