namespace EdgeSeg.Service.Configuration;

/// <summary>The <c>Http</c> section: where health, metrics and snapshots are served.</summary>
internal sealed class HttpSettings
{
    /// <summary>The default listen address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary><c>Http:Urls</c>: one or more URLs separated by ';'.</summary>
    public required IReadOnlyList<string> Urls { get; init; }

    /// <summary><c>Http:SnapshotJpegQuality</c>.</summary>
    public int SnapshotJpegQuality { get; init; }

    /// <summary>Reads and checks the section.</summary>
    public static HttpSettings Read(ConfigReader reader)
    {
        reader.OnlyKnown("Http", "Urls", "SnapshotJpegQuality");
        var raw = reader.String("Http:Urls", DefaultUrls)!;
        var urls = raw.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            reader.Fail("Http:Urls", raw, "must hold at least one URL such as http://127.0.0.1:8080");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var parsed)
                || parsed.Scheme is not ("http" or "https") || parsed.AbsolutePath != "/" || url.EndsWith('/'))
            {
                reader.Fail("Http:Urls", url, "each URL must be http://HOST:PORT or https://HOST:PORT with no path (several are separated by ';')");
            }
        }

        return new HttpSettings
        {
            Urls = urls,
            SnapshotJpegQuality = reader.Int("Http:SnapshotJpegQuality", 85, 1, 100),
        };
    }
}
