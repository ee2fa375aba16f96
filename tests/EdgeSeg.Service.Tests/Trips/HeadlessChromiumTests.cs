using EdgeSeg.Service.Tests.Support;

namespace EdgeSeg.Service.Tests.Trips;

/// <summary>The report test's console check catches what it must: a page that logs errors is not passed as clean.</summary>
public sealed class HeadlessChromiumTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_PageWithScriptErrorAndBlockedImage_ReportsEachConsoleMessage()
    {
        var page = _dir.Write("bad.html", "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"img-src data:\"></head>"
            + "<body><img src=\"https://example.invalid/x.png\"><script>console.error('boom'); notDefined();</script></body></html>");

        var result = await HeadlessChromium.LoadAsync(page, Path.Combine(_dir.Path, "bad.png"));

        Assert.Contains(result.ConsoleMessages, m => m.Contains("\"boom\"", StringComparison.Ordinal));
        Assert.Contains(result.ConsoleMessages, m => m.Contains("notDefined is not defined", StringComparison.Ordinal));
        Assert.Contains(result.ConsoleMessages, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
