using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeSeg.Service.Configuration;

/// <summary>One entry of <c>Sources</c>: where frames come from and how they are read.</summary>
internal sealed partial class SourceSettings
{
    private static readonly FrozenDictionary<string, SourceKind> Kinds = new Dictionary<string, SourceKind>
    {
        ["auto"] = SourceKind.Auto,
        ["file"] = SourceKind.File,
        ["stream"] = SourceKind.Stream,
        ["camera"] = SourceKind.Camera,
        ["folder"] = SourceKind.Folder,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] StreamSchemes = ["rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp", "srt"];

    /// <summary><c>Sources:N:Id</c>: the source's id (an MQTT topic level and the snapshot URL's name).</summary>
    public required string Id { get; init; }

    /// <summary><c>Sources:N:Uri</c> as configured.</summary>
    public required string Uri { get; init; }

    /// <summary>The path, made absolute, for files and folders (a glob keeps its pattern); the URI itself otherwise.</summary>
    public required string Location { get; init; }

    /// <summary>The kind, decided from the URI when configured as <c>auto</c>.</summary>
    public SourceKind Kind { get; init; }

    /// <summary>Live (streams and cameras): frames are dropped (oldest first) rather than queued when the pipeline is behind.</summary>
    public bool Live { get; init; }

    /// <summary>Deliver frames at the source's frame rate rather than as fast as possible (files and folders).</summary>
    public bool Pace { get; init; }

    /// <summary>Start again at the end (files and folders).</summary>
    public bool Loop { get; init; }

    /// <summary>Frames per second used for pacing; 0 means the file's own rate (image folders: 10).</summary>
    public double Fps { get; init; }

    /// <summary>Open timeout for streams, seconds.</summary>
    public double OpenTimeoutSeconds { get; init; }

    /// <summary>Read timeout for streams, seconds: a live source silent this long is closed and reopened.</summary>
    public double ReadTimeoutSeconds { get; init; }

    /// <summary>Camera settings (used when <see cref="Kind"/> is <see cref="SourceKind.Camera"/>).</summary>
    public required CameraSettings Camera { get; init; }

    /// <summary>Whether the source ends by itself (a file or folder that does not loop).</summary>
    public bool IsFinite => Kind is SourceKind.File or SourceKind.Folder && !Loop;

    /// <summary>Reads and checks <c>Sources:<paramref name="index"/></c>.</summary>
    public static SourceSettings Read(ConfigReader reader, SettingsContext context, int index)
    {
        var prefix = $"Sources:{index}";
        reader.OnlyKnown(prefix, "Id", "Uri", "Kind", "Live", "Pace", "Loop", "Fps", "OpenTimeoutSeconds", "ReadTimeoutSeconds", "Camera");

        var id = reader.String($"{prefix}:Id", null, required: true);
        if (id is not null && !NameRules.IsValid(id))
        {
            reader.Fail($"{prefix}:Id", id, NameRules.Rule);
        }

        var uri = reader.String($"{prefix}:Uri", null, required: true);
        var configuredKind = reader.Choice($"{prefix}:Kind", SourceKind.Auto, Kinds);
        var kind = SourceKind.Auto;
        var location = uri ?? "";
        if (uri is not null)
        {
            (kind, location) = Locate(reader, context, $"{prefix}:Uri", uri, configuredKind);
        }

        var finiteKind = kind is SourceKind.File or SourceKind.Folder;
        var loop = reader.Bool($"{prefix}:Loop", false);
        if (loop && kind is SourceKind.Stream or SourceKind.Camera)
        {
            reader.Fail($"{prefix}:Loop", reader.Raw($"{prefix}:Loop"), $"only files and folders loop; this source is a {Name(kind)}");
        }

        var pace = reader.Bool($"{prefix}:Pace", false);
        if (pace && kind is SourceKind.Stream or SourceKind.Camera)
        {
            reader.Fail($"{prefix}:Pace", reader.Raw($"{prefix}:Pace"), $"only files and folders are paced; a {Name(kind)} delivers at its own rate");
        }

        // Liveness follows from the kind (the pipeline drops the oldest frames of live sources, files wait); the key
        // exists so that a configuration can state it, and a contradiction is reported rather than ignored.
        var live = !finiteKind && kind != SourceKind.Auto;
        if (reader.Raw($"{prefix}:Live") is not null && reader.Bool($"{prefix}:Live", live) != live && kind != SourceKind.Auto)
        {
            reader.Fail($"{prefix}:Live", reader.Raw($"{prefix}:Live"), live
                ? $"a {Name(kind)} is always live (it cannot wait for the pipeline)"
                : $"a {Name(kind)} is never live (no frame of it is skipped); Pace=true plays it at its own frame rate");
        }

        if (context.ExitWhenDone && kind != SourceKind.Auto && !(finiteKind && !loop))
        {
            reader.Fail($"{prefix}:Uri", uri, $"--exit-when-done needs every source to end by itself: a file or folder with Loop=false, not a {(finiteKind ? "looping " + Name(kind) : Name(kind))}");
        }

        var camera = CameraSettings.Read(reader, $"{prefix}:Camera");
        if (reader.Exists($"{prefix}:Camera") && kind is not (SourceKind.Camera or SourceKind.Auto))
        {
            reader.Fail($"{prefix}:Camera", null, $"camera settings apply to cameras only; this source is a {Name(kind)}");
        }

        return new SourceSettings
        {
            Id = id ?? "",
            Uri = uri ?? "",
            Location = location,
            Kind = kind,
            Live = live,
            Pace = pace,
            Loop = loop,
            Fps = reader.Rate($"{prefix}:Fps", 0),
            OpenTimeoutSeconds = reader.Double($"{prefix}:OpenTimeoutSeconds", 10, 0.1, 600),
            ReadTimeoutSeconds = reader.Double($"{prefix}:ReadTimeoutSeconds", 5, 0.1, 600),
            Camera = camera,
        };
    }

    /// <summary>The kind's configuration name.</summary>
    public static string Name(SourceKind kind) => kind.ToString().ToLowerInvariant();

    private static (SourceKind Kind, string Location) Locate(ConfigReader reader, SettingsContext context, string key, string uri, SourceKind configured)
    {
        var schemeMatch = SchemePattern().Match(uri);
        var isCamera = CameraPattern().IsMatch(uri);
        var detected = schemeMatch.Success ? SourceKind.Stream : isCamera ? SourceKind.Camera : SourceKind.Auto;

        if (schemeMatch.Success)
        {
            var scheme = schemeMatch.Groups[1].Value.ToLowerInvariant();
            if (scheme == "file")
            {
                return Locate(reader, context, key, uri[(scheme.Length + 3)..], configured);
            }

            if (!StreamSchemes.Contains(scheme))
            {
                reader.Fail(key, uri, $"unknown scheme '{scheme}://': streams use {string.Join(", ", StreamSchemes.Select(s => s + "://"))}; files and folders are plain paths; cameras are /dev/videoN");
                return (configured, uri);
            }

            if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
            {
                reader.Fail(key, uri, $"must be a valid {scheme}:// URL with a host");
            }
        }

        if (detected != SourceKind.Auto)
        {
            if (configured != SourceKind.Auto && configured != detected)
            {
                reader.Fail(key, uri, $"is a {Name(detected)} URI but Kind says {Name(configured)}");
            }

            return (detected, uri);
        }

        // A path: a file, a folder, or a glob over a folder.
        var path = context.ResolvePath(uri) ?? uri;
        var isGlob = uri.AsSpan().IndexOfAny('*', '?', '[') >= 0;
        var kind = configured switch
        {
            SourceKind.Stream or SourceKind.Camera => Mismatch(reader, key, uri, configured),
            SourceKind.File or SourceKind.Folder => configured,
            _ => isGlob || System.IO.Directory.Exists(path) ? SourceKind.Folder : SourceKind.File,
        };

        if (kind == SourceKind.File)
        {
            if (System.IO.Directory.Exists(path))
            {
                reader.Fail(key, uri, $"Kind is file but {path} is a directory (use Kind=folder or auto)");
            }
            else if (!File.Exists(path))
            {
                reader.Fail(key, uri, $"must be an existing video file, a folder, /dev/videoN or a stream URL; {path} does not exist");
            }
        }
        else if (kind == SourceKind.Folder)
        {
            var folder = isGlob ? Path.GetDirectoryName(path) ?? path : path;
            if (!System.IO.Directory.Exists(folder))
            {
                reader.Fail(key, uri, $"must be an existing folder of images (or a glob in one); {folder} does not exist");
            }
        }

        return (kind, path);
    }

    private static SourceKind Mismatch(ConfigReader reader, string key, string uri, SourceKind configured)
    {
        reader.Fail(key, uri, configured == SourceKind.Camera
            ? "Kind is camera: the URI must be /dev/videoN or a camera index"
            : "Kind is stream: the URI must be a URL such as rtsp://host/path");
        return configured;
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^(/dev/video[0-9]+|[0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CameraPattern();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} ({Name(Kind)} {Uri}{(Live ? ", live" : "")}{(Pace ? ", paced" : "")}{(Loop ? ", loop" : "")})");
}
