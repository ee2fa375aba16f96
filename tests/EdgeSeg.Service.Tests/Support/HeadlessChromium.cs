using System.Diagnostics;
using System.Text.RegularExpressions;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// Debian's real Chromium, headless: loads a local page, saves a screenshot, and returns the DOM as rendered and every
/// message the page logged to its console (Chromium writes them to stderr with <c>--enable-logging=stderr</c>).
/// </summary>
internal static partial class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Loads <paramref name="htmlPath"/>; saves a 1100x3000 screenshot to <paramref name="screenshotPath"/>.</summary>
    public static async Task<Page> LoadAsync(string htmlPath, string screenshotPath)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run 'make setup' (Debian package chromium).");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshotPath)!);
        var profile = Directory.CreateTempSubdirectory("edgeseg-chromium-").FullName;
        try
        {
            var url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
            var (_, shotLog) = await RunAsync(profile, "--screenshot=" + screenshotPath, "--window-size=1100,3000", url);
            var (dom, domLog) = await RunAsync(profile, "--dump-dom", url);
            var messages = ConsoleLine().Matches(shotLog + domLog).Select(m => m.Value).ToList();
            Assert.True(File.Exists(screenshotPath), "Chromium wrote no screenshot: " + shotLog);
            var image = CvImage.Read(screenshotPath);
            var colours = new HashSet<int>();
            for (var i = 0; i + 2 < image.Data.Length; i += 3)
            {
                colours.Add(image.Data[i] | (image.Data[i + 1] << 8) | (image.Data[i + 2] << 16));
            }

            return new Page(dom, messages, colours.Count);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(string profile, params string[] args)
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish within 2 minutes.");
        }

        return (await stdout, await stderr);
    }

    /// <summary>A console message as Chromium logs it: <c>[...:INFO:CONSOLE:1] "message", source: ...</c> (older builds: <c>CONSOLE(1)]</c>).</summary>
    [GeneratedRegex(@"^.*:CONSOLE(:\d+|\(\d+\))\].*$", RegexOptions.Multiline)]
    private static partial Regex ConsoleLine();

    /// <summary>What the page became.</summary>
    /// <param name="Dom">The DOM after loading, serialised.</param>
    /// <param name="ConsoleMessages">Every console message (errors, warnings, logs, CSP violations).</param>
    /// <param name="ScreenshotColours">Distinct colours in the screenshot (a blank page has one or two).</param>
    public sealed record Page(string Dom, IReadOnlyList<string> ConsoleMessages, int ScreenshotColours);
}
