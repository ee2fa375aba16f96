using EdgeSeg.Service.Native;

namespace EdgeSeg.Service.Configuration;

/// <summary>Rules for paths in the configuration, shared by the sections that have them.</summary>
internal static class PathRules
{
    /// <summary>
    /// An existing file at <paramref name="key"/> (required or optional); returns its absolute path, or null when
    /// absent or broken (the error is recorded).
    /// </summary>
    public static string? ExistingFile(ConfigReader reader, SettingsContext context, string key, bool required, string what)
    {
        var configured = reader.String(key, null, required);
        if (configured is null)
        {
            return null;
        }

        var path = context.ResolvePath(configured);
        if (path is null)
        {
            reader.Fail(key, configured, $"must name a systemd credential ({SettingsContext.CredentialPrefix}NAME) while CREDENTIALS_DIRECTORY is set (LoadCredential= in the unit)");
            return null;
        }

        if (RegularFileProblem(path, what) is { } problem)
        {
            reader.Fail(key, configured, problem);
            return null;
        }

        return path;
    }

    /// <summary>
    /// Why <paramref name="path"/> is not an existing regular file (links followed), or null when it is one. A FIFO or a
    /// device would block or never end when read (<c>/dev/zero</c>), so only regular files are accepted.
    /// </summary>
    public static string? RegularFileProblem(string path, string what) => LibC.KindOf(path) switch
    {
        FileKind.Regular => null,
        FileKind.Missing => $"must be {what}, an existing file; {path} does not exist",
        FileKind.Directory => $"must be {what}, a file; {path} is a directory",
        FileKind.Fifo => $"must be {what}, a regular file; {path} is a named pipe (FIFO)",
        FileKind.CharacterDevice or FileKind.BlockDevice => $"must be {what}, a regular file; {path} is a device",
        FileKind.Socket => $"must be {what}, a regular file; {path} is a socket",
        _ => $"must be {what}, a regular file; {path} is not one",
    };

    /// <summary>A directory path (it need not exist yet: it is created at start-up), made absolute.</summary>
    public static string Directory(ConfigReader reader, SettingsContext context, string key, string defaultValue)
    {
        var configured = reader.String(key, defaultValue)!;
        var path = context.ResolvePath(configured);
        if (path is null || configured.StartsWith(SettingsContext.CredentialPrefix, StringComparison.Ordinal))
        {
            reader.Fail(key, configured, "must be a directory path, not a credential");
            return context.ResolvePath(defaultValue) ?? defaultValue;
        }

        if (File.Exists(path))
        {
            reader.Fail(key, configured, $"must be a directory; {path} is a file");
        }

        return path;
    }
}
