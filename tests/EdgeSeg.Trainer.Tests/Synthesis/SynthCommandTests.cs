using System.CommandLine;
using EdgeSeg.Trainer.Cli;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class SynthCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-synthcli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static int Invoke(params string[] args) => new RootCommand { SynthCommand.Create() }.Parse(["synth", .. args]).Invoke();

    [Theory]
    [InlineData("640", "not WIDTHxHEIGHT")]
    [InlineData("640x", "not WIDTHxHEIGHT")]
    [InlineData("-640x360", "not WIDTHxHEIGHT")]
    [InlineData("16x360", "out of range")]
    public void ParseSize_BadText_ThrowsNamingTheInput(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SynthCommand.ParseSize(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(text.TrimStart('-'), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseSize_Valid_ReturnsWidthAndHeight() => Assert.Equal((640, 360), SynthCommand.ParseSize("640x360"));

    [Fact]
    public void Invoke_WithoutCountOrVideo_FailsWithUsageCode()
    {
        Assert.Equal(2, Invoke("--out", _dir));
        Assert.False(Directory.Exists(Path.Combine(_dir, "images")));
    }

    [Fact]
    public void Invoke_OddVideoSize_FailsWithUsageCode() =>
        Assert.Equal(2, Invoke("--out", _dir, "--video", Path.Combine(_dir, "x.mp4"), "--size", "321x180", "--seconds", "1"));

    [Fact]
    public void Invoke_OutIsAFile_FailsWithAMessageInsteadOfACrash()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "x");
        Assert.Equal(1, Invoke("--out", file, "--count", "2", "--size", "64x48"));
    }

    [Fact]
    public void Invoke_Stills_WritesTheDataset()
    {
        Assert.Equal(0, Invoke("--out", _dir, "--count", "3", "--size", "96x64", "--seed", "5", "--threads", "1"));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_dir, "images"), "*.jpg").Length);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_dir, "masks"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(_dir, "classes.json")));
    }
}
