using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Timing;
using EdgeSeg.OpenCv;
using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// Image files from a folder (every .png, .jpg, .jpeg, .bmp) or a glob in the file-name part (<c>frames/cam_*.png</c>),
/// in ordinal name order. Frame size is the first image's; other sizes are resized to it (bilinear). Each image is
/// decoded into a temporary buffer and copied: folders are for tests and demos, not the zero-allocation path.
/// </summary>
public sealed class ImageFolderSource : IFrameSource
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private string[] _files = [];
    private int _position;
    private long _nextIndex;
    private long _pacingStart;
    private long _framesThisPass;

    /// <summary>Creates the source.</summary>
    public ImageFolderSource(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Uri);
        Options = options;
    }

    /// <inheritdoc />
    public string Id => Options.Id;

    /// <inheritdoc />
    public string Uri => Options.Uri;

    /// <inheritdoc />
    public FrameSourceKind Kind => FrameSourceKind.ImageFolder;

    /// <inheritdoc />
    public bool IsLive => false;

    /// <inheritdoc />
    public bool IsOpen { get; private set; }

    /// <inheritdoc />
    public int Width { get; private set; }

    /// <inheritdoc />
    public int Height { get; private set; }

    /// <inheritdoc />
    public double Fps => Options.Fps ?? 10;

    /// <summary>The files found at the last open, in delivery order.</summary>
    public IReadOnlyList<string> Files => _files;

    private FrameSourceOptions Options { get; }

    /// <inheritdoc />
    public void Open()
    {
        Close();
        _files = FindFiles();
        if (_files.Length == 0)
        {
            throw new FrameSourceException(Id, Uri, "matches no image files (.png, .jpg, .jpeg, .bmp)");
        }

        var first = ReadImage(_files[0]);
        Width = first.Width;
        Height = first.Height;
        _position = 0;
        _framesThisPass = 0;
        IsOpen = true;
    }

    /// <inheritdoc />
    public bool TryRead(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Source '{Id}' is not open.");
        }

        if (_position >= _files.Length)
        {
            if (!Options.Loop)
            {
                return false;
            }

            _position = 0;
            _framesThisPass = 0;
        }

        var image = ReadImage(_files[_position++]);
        if (image.Width == frame.Image.Width && image.Height == frame.Image.Height)
        {
            image.Pixels.CopyTo(frame.Image.Pixels);
        }
        else
        {
            CvImage.Resize(image, frame.Image, ResizeInterpolation.Linear);
        }

        Pace();
        frame.SourceId = Id;
        frame.Index = _nextIndex++;
        frame.CaptureTimestamp = Stopwatch.GetTimestamp();
        frame.CapturedAtUtc = DateTime.UtcNow;
        frame.StreamTimestampMilliseconds = null;
        return true;
    }

    /// <inheritdoc />
    public void Close() => IsOpen = false;

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Id}' ({Uri})";

    private string[] FindFiles()
    {
        var uri = Uri;
        string folder;
        string pattern;
        if (uri.Contains('*', StringComparison.Ordinal) || uri.Contains('?', StringComparison.Ordinal))
        {
            folder = Path.GetDirectoryName(uri) is { Length: > 0 } d ? d : ".";
            pattern = Path.GetFileName(uri);
            if (folder.Contains('*', StringComparison.Ordinal) || folder.Contains('?', StringComparison.Ordinal))
            {
                throw new FrameSourceException(Id, Uri, "wildcards are allowed only in the file-name part of the glob");
            }
        }
        else
        {
            folder = uri;
            pattern = "*";
        }

        if (!Directory.Exists(folder))
        {
            throw new FrameSourceException(Id, Uri, $"the folder '{Path.GetFullPath(folder)}' does not exist");
        }

        var files = Directory.GetFiles(folder, pattern, SearchOption.TopDirectoryOnly)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private ImageBuffer ReadImage(string file)
    {
        try
        {
            return CvImage.Read(file, ImageReadMode.Color);
        }
        catch (Exception e) when (e is OpenCvException or IOException)
        {
            throw new FrameSourceException(Id, Uri, $"image '{file}' could not be read: {e.Message}", e);
        }
    }

    private void Pace()
    {
        if (!Options.Paced || Fps <= 0)
        {
            _framesThisPass++;
            return;
        }

        if (_framesThisPass == 0)
        {
            _pacingStart = Stopwatch.GetTimestamp();
        }
        else
        {
            var wait = FrameRate.Duration(_framesThisPass, Fps) - Stopwatch.GetElapsedTime(_pacingStart);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
        }

        _framesThisPass++;
    }
}
