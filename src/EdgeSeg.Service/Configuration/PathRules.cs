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

        if (System.IO.Directory.Exists(path))
        {
            reader.Fail(key, configured, $"must be {what}, a file; {path} is a directory");
            return null;
        }

        if (!File.Exists(path))
        {
            reader.Fail(key, configured, $"must be {what}, an existing file; {path} does not exist");
            return null;
        }

        return path;
    }

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
