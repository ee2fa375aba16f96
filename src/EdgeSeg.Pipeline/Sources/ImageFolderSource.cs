using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Timing;
using EdgeSeg.OpenCv;
using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// Image files from a folder (every .png, .jpg, .jpeg, .bmp) or a glob in the file-name part (<c>frames/cam_*.png</c>),
/// in ordinal name order. Frame size is the first readable image's; other sizes are resized to it (bilinear). Each
/// image is decoded into a temporary buffer and copied: folders are for tests and demos, not the zero-allocation path.
/// An image that cannot be read (corrupt, truncated, not an image, or over <see cref="FrameSourceOptions.MaxPixels"/>,
/// checked from its header before decoding) is skipped and counted in <see cref="Skipped"/>; the images after it are
/// read. The source fails only when none of its images can be read.
/// </summary>
public sealed class ImageFolderSource : IFrameSource
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private string[] _files = [];
    private int _position;
    private long _nextIndex;
    private long _pacingStart;
    private long _framesThisPass;
    private long _skipped;
    private string? _lastSkipReason;

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

    /// <inheritdoc />
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <inheritdoc />
    public string? LastSkipReason => Volatile.Read(ref _lastSkipReason);

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

        // The frame size is the first readable image's; unreadable ones before it are skipped (and read again, and
        // skipped again, when a looping folder comes round to them).
        ImageBuffer? first = null;
        string? firstProblem = null;
        foreach (var file in _files)
        {
            if (TryReadImage(file, out first, out var problem))
            {
                break;
            }

            firstProblem ??= problem;
        }

        if (first is null)
        {
            throw new FrameSourceException(Id, Uri, $"none of its {_files.Length} image file(s) can be read; the first: {firstProblem}");
        }

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

        ImageBuffer? image = null;
        var skippedThisCall = 0;
        while (image is null)
        {
            if (_position >= _files.Length)
            {
                if (!Options.Loop)
                {
                    return false;
                }

                _position = 0;
                _framesThisPass = 0;
            }

            var file = _files[_position++];
            if (!TryReadImage(file, out image, out var problem))
            {
                Interlocked.Increment(ref _skipped);
                Volatile.Write(ref _lastSkipReason, problem);
                if (++skippedThisCall >= _files.Length)
                {
                    // A looping folder whose every image has become unreadable would spin here for ever.
                    throw new FrameSourceException(Id, Uri, $"none of its {_files.Length} image file(s) can be read any more; the last: {problem}");
                }
            }
        }

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

    /// <summary>Reads one image: its header first (size within the limit), then the decode. False with the reason when it cannot be used.</summary>
    private bool TryReadImage(string file, [NotNullWhen(true)] out ImageBuffer? image, [NotNullWhen(false)] out string? problem)
    {
        image = null;
        var name = System.IO.Path.GetFileName(file);
        if (!ImageHeader.TryRead(file, out var width, out var height, out var headerProblem))
        {
            problem = $"image '{name}': {headerProblem}";
            return false;
        }

        if (Options.CheckSize(width, height) is { } tooLarge)
        {
            problem = $"image '{name}' is {tooLarge}; it was not decoded";
            return false;
        }

        try
        {
            image = CvImage.Read(file, ImageReadMode.Color);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is OpenCvException or IOException or UnauthorizedAccessException)
        {
            problem = $"image '{name}' could not be decoded: {e.Message}";
            return false;
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
