using System.Text.RegularExpressions;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>Creates the right <see cref="IFrameSource"/> for a configured URI.</summary>
public static partial class FrameSources
{
    /// <summary>
    /// Picks the source kind from <see cref="FrameSourceOptions.Uri"/>: a stream scheme (<c>rtsp://</c>, <c>http://</c>,
    /// ...), a camera (<c>/dev/videoN</c>, <c>v4l2://</c>), an image folder or glob, else a video file. Nothing is
    /// opened here; the caller disposes the source.
    /// </summary>
    /// <exception cref="FrameSourceException">An unknown URI scheme; the message names the source and the schemes known.</exception>
    public static IFrameSource Create(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Id);
        if (string.IsNullOrWhiteSpace(options.Uri))
        {
            throw new FrameSourceException(options.Id, options.Uri ?? string.Empty, "no URI configured");
        }

        var uri = options.Uri.Trim();
        var scheme = SchemePattern().Match(uri);
        if (scheme.Success)
        {
            var name = scheme.Groups[1].Value.ToLowerInvariant();
            if (StreamSource.Schemes.Contains(name))
            {
                return new StreamSource(options);
            }

            if (name == "v4l2")
            {
                return new CameraSource(options);
            }

            if (name == "file")
            {
                return new VideoFileSource(options);
            }

            throw new FrameSourceException(options.Id, options.Uri,
                $"unknown URI scheme '{name}://'; expected {string.Join(", ", StreamSource.Schemes.Select(s => s + "://"))}, v4l2://, file://, a /dev/videoN camera, a folder, a glob or a video file path");
        }

        if (CameraPattern().IsMatch(uri))
        {
            return new CameraSource(options);
        }

        if (Directory.Exists(uri) || uri.Contains('*', StringComparison.Ordinal) || uri.Contains('?', StringComparison.Ordinal))
        {
            return new ImageFolderSource(options);
        }

        return new VideoFileSource(options);
    }

    [GeneratedRegex("^([a-zA-Z][a-zA-Z0-9+.-]*)://")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^/dev/video[0-9]+$")]
    private static partial Regex CameraPattern();
}
