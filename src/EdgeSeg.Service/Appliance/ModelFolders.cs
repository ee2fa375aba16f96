namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The folders <c>cmd/reload-model</c> may load a model from (<c>Model:ReloadFolders</c>; by default the folder of
/// <c>Model:Path</c>), and the one check that confines a requested path to them. A path outside them is refused from
/// its text alone, before the file system is asked anything, so the answer never tells whether a file exists there.
/// Immutable; thread-safe.
/// </summary>
internal sealed class ModelFolders
{
    private const int MaxLinks = 40;
    private readonly string[] _real;

    /// <param name="folders">Absolute folder paths; at least one.</param>
    public ModelFolders(IReadOnlyList<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0 || folders.Any(f => !Path.IsPathFullyQualified(f)))
        {
            throw new ArgumentException("Model folders are absolute paths, at least one.", nameof(folders));
        }

        Folders = [.. folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)))];

        // Compared after links are resolved too, so a folder reached through a link (/opt/models -> /data/models) works.
        _real = [.. Folders.Select(RealPath)];
    }

    /// <summary>The folders, absolute and normalised.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// Resolves <paramref name="requested"/> (absolute, or relative to the first folder) to a path inside a model
    /// folder, after <c>..</c> and symbolic links. On refusal <paramref name="error"/> says so in words that are the
    /// same whether or not the file exists.
    /// </summary>
    public bool TryResolve(string requested, out string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(requested);
        path = "";
        error = null;
        var full = Path.GetFullPath(requested, Folders[0]);
        if (!Folders.Any(f => IsInside(full, f)))
        {
            error = Refusal();
            return false;
        }

        // Inside by its text; a link inside a folder may still point out of it (models/x.onnx -> /etc/shadow).
        var real = RealPath(full);
        if (!_real.Any(f => IsInside(real, f)))
        {
            error = Refusal();
            return false;
        }

        path = full;
        return true;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || (folder == "/" && path.Length > 1);

    private string Refusal() =>
        $"refused: reload-model loads models only from the model folders ({string.Join(", ", Folders)}; Model:ReloadFolders)";

    // The path with every symbolic link in it resolved, component by component (as realpath(3) does); components that
    // do not exist are kept as written. A link loop or a dangling link gives a path no folder contains.
    private static string RealPath(string full)
    {
        var links = 0;
        var pending = new Stack<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            if (part == ".")
            {
                continue;
            }

            var next = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "\0unresolvable";
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return "\0link loop";
            }

            // Absolute targets restart from the root; relative ones continue from the link's folder.
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }

            foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }
        }

        return current;
    }
}
