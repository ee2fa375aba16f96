using System.Security.Cryptography;
using EdgeSeg.OpenCv;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Synthetic;

namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>
/// Made once for every consumer test: a short synthetic drive (one lane change, so the scene raises events) and the
/// mask of each of its frames with the default model, as the SHA-256 of the mask's pixels, from <c>edgeseg process
/// --save-masks</c> (what <c>edgeseg infer</c> on a video points to).
/// </summary>
public sealed class ConsumerDriveFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SyntheticDrive _drive = null!;

    public static string Model => TestRepo.Path("models", "default.onnx");

    public string ClipPath => _drive.ClipPath;

    public int Frames => _drive.Frames;

    public const int Width = 640;

    public const int Height = 360;

    /// <summary>SHA-256 (lower-case hex) of <c>edgeseg process</c>'s mask pixels, row by row, per frame index.</summary>
    public IReadOnlyList<string> ReferenceMaskHashes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _drive = await SyntheticDrive.RenderAsync(seed: 3, seconds: 8, fps: 10);
        var output = Path.Combine(_dir.Path, "process");
        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, TimeSpan.FromMinutes(10),
            "process", "--input", ClipPath, "--out", output, "--save-masks", $"--Model:Path={Model}", "--Model:Providers=cpu", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        Assert.True(code == 0, $"edgeseg process exited {code}: {stderr}");
        var masks = Path.Combine(output, Path.GetFileNameWithoutExtension(ClipPath), "masks");
        var hashes = new List<string>();
        for (var i = 0; i < Frames; i++)
        {
            var mask = CvImage.Read(Path.Combine(masks, $"{i:D6}.png"), ImageReadMode.Unchanged);
            Assert.Equal((Width, Height, 1), (mask.Width, mask.Height, mask.Channels));
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(mask.Pixels)));
        }

        ReferenceMaskHashes = hashes;
    }

    public Task DisposeAsync()
    {
        _drive?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
