using System.Security.Cryptography;
using System.Text;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// The live page: one HTML file with its style and script inline, embedded in the binary (no file on disk, no font,
/// script or style from anywhere else). Its Content-Security-Policy allows exactly that page's own inline script and
/// style (by hash), images from this server and <c>blob:</c>, and connections to this server only.
/// </summary>
internal static class LivePageResource
{
    private const string ResourceName = "EdgeSeg.Service.LivePage.index.html";

    /// <summary>The page, UTF-8.</summary>
    public static byte[] Html { get; } = Load();

    /// <summary>The Content-Security-Policy header sent with the page.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src {Hash("script")}; style-src {Hash("style")}; img-src 'self' blob: data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static byte[] Load()
    {
        using var stream = typeof(LivePageResource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The live page resource {ResourceName} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The CSP source for the page's single inline element <paramref name="tag"/>: 'sha256-...' of its text.</summary>
    private static string Hash(string tag)
    {
        var html = Encoding.UTF8.GetString(Html);
        var open = html.IndexOf($"<{tag}>", StringComparison.Ordinal);
        var close = html.IndexOf($"</{tag}>", StringComparison.Ordinal);
        if (open < 0 || close < open || html.IndexOf($"<{tag}>", open + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"The live page must hold exactly one <{tag}> element.");
        }

        var body = html[(open + tag.Length + 2)..close];
        return $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}'";
    }
}
