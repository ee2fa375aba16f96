using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Appliance;

/// <summary><c>cmd/reload-model</c> paths are confined to the model folders, with real files, folders and symbolic links.</summary>
public sealed class ModelFoldersTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _models;
    private readonly string _outside;

    public ModelFoldersTests()
    {
        _models = Path.GetDirectoryName(_dir.Write("models/a.onnx", "a"))!;
        _dir.Write("models/sub/b.onnx", "b");
        _outside = Path.GetDirectoryName(_dir.Write("outside/secret.onnx", "s"))!;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryResolve_FileInAFolder_ResolvesAbsoluteOrRelativeToTheFirstFolder()
    {
        var folders = new ModelFolders([_models]);

        Assert.True(folders.TryResolve(Path.Combine(_models, "a.onnx"), out var absolute, out var error), error);
        Assert.Equal(Path.Combine(_models, "a.onnx"), absolute);
        Assert.True(folders.TryResolve("sub/b.onnx", out var relative, out error), error);
        Assert.Equal(Path.Combine(_models, "sub", "b.onnx"), relative);
        Assert.True(folders.TryResolve("sub/../a.onnx", out var dotted, out error), error);
        Assert.Equal(Path.Combine(_models, "a.onnx"), dotted);
    }

    [Fact]
    public void TryResolve_PathsOutsideTheFolders_AreRefusedWithTheSameWordsWhetherOrNotTheFileExists()
    {
        var folders = new ModelFolders([_models]);
        string[] outside =
        [
            Path.Combine(_outside, "secret.onnx"),           // exists
            Path.Combine(_outside, "missing.onnx"),          // does not
            "/etc/passwd",                                    // exists
            "/etc/no-such-file",                              // does not
            "../outside/secret.onnx",                         // relative, climbing out
            _models + "-evil/a.onnx",                         // a sibling whose name starts like the folder
            _models,                                          // the folder itself
        ];

        var errors = outside.Select(p =>
        {
            Assert.False(folders.TryResolve(p, out var resolved, out var error), p);
            Assert.Equal("", resolved);
            return error;
        }).ToList();

        Assert.Single(errors.Distinct());
        Assert.Contains("only from the model folders", errors[0], StringComparison.Ordinal);
        Assert.Contains(_models, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_LinkInsideAFolderPointingOut_IsRefused()
    {
        var folders = new ModelFolders([_models]);
        File.CreateSymbolicLink(Path.Combine(_models, "file-link.onnx"), Path.Combine(_outside, "secret.onnx"));
        Directory.CreateSymbolicLink(Path.Combine(_models, "dir-link"), _outside);
        File.CreateSymbolicLink(Path.Combine(_models, "relative-link.onnx"), "../outside/secret.onnx");

        Assert.False(folders.TryResolve("file-link.onnx", out _, out _));
        Assert.False(folders.TryResolve("dir-link/secret.onnx", out _, out _));
        Assert.False(folders.TryResolve("relative-link.onnx", out _, out _));
    }

    [Fact]
    public void TryResolve_LinkInsideAFolderPointingInside_OrAFolderReachedThroughALink_IsAllowed()
    {
        File.CreateSymbolicLink(Path.Combine(_models, "current.onnx"), "sub/b.onnx");
        var linkedFolder = Path.Combine(_dir.Path, "models-link");
        Directory.CreateSymbolicLink(linkedFolder, _models);

        Assert.True(new ModelFolders([_models]).TryResolve("current.onnx", out _, out var error), error);
        Assert.True(new ModelFolders([linkedFolder]).TryResolve("a.onnx", out var viaLink, out error), error);
        Assert.Equal(Path.Combine(linkedFolder, "a.onnx"), viaLink);
    }

    [Fact]
    public void TryResolve_SecondFolder_IsAllowedToo()
    {
        var folders = new ModelFolders([_models, _outside]);

        Assert.True(folders.TryResolve(Path.Combine(_outside, "secret.onnx"), out _, out var error), error);
    }
}
