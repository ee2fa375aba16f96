namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// A real, small tmpfs mounted on a fresh folder: a disk that really fills up ("No space left on device"), for the
/// disk-queue tests. Needs root (see <see cref="DiskFullFactAttribute"/>); unmounted and removed on dispose.
/// </summary>
internal sealed class SmallTmpfs : IAsyncDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallTmpfs> MountAsync(int bytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgeseg-tmpfs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var (code, _, error) = await CommandLine.RunAsync("mount", TimeSpan.FromSeconds(10), "-t", "tmpfs", "-o", $"size={bytes},mode=0700", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs on {path} failed ({code}): {error}");
        }

        return new SmallTmpfs(path);
    }

    public async ValueTask DisposeAsync()
    {
        // Lazy: detached at once even while a file in it is still open (a failed test's client), freed when closed.
        var (code, _, error) = await CommandLine.RunAsync("umount", TimeSpan.FromSeconds(10), "-l", Path);
        if (code == 0)
        {
            Directory.Delete(Path);
        }
        else
        {
            await Console.Error.WriteLineAsync($"umount -l {Path} failed ({code}): {error}");
        }
    }
}
