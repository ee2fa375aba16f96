namespace EdgeSeg.Service.Configuration;

/// <summary>What settings are read against: the working directory relative paths resolve from, the process
/// environment (systemd's <c>CREDENTIALS_DIRECTORY</c> and <c>STATE_DIRECTORY</c>), and the run mode.</summary>
internal sealed class SettingsContext
{
    /// <summary>Prefix of a path that names a systemd credential (<c>LoadCredential=</c>) instead of a file.</summary>
    public const string CredentialPrefix = "credential:";

    /// <summary>Directory that relative paths in the configuration resolve from (the process's working directory).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Reads an environment variable; replaced in tests.</summary>
    public Func<string, string?> GetEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary><c>--exit-when-done</c>: every source must then be finite.</summary>
    public bool ExitWhenDone { get; init; }

    /// <summary>
    /// A configured path made absolute: relative paths resolve from <see cref="WorkingDirectory"/>;
    /// <c>credential:NAME</c> resolves to <c>$CREDENTIALS_DIRECTORY/NAME</c>. Null when the credential directory is
    /// not set (the caller reports it).
    /// </summary>
    public string? ResolvePath(string configured)
    {
        if (configured.StartsWith(CredentialPrefix, StringComparison.Ordinal))
        {
            var directory = GetEnvironment("CREDENTIALS_DIRECTORY");
            var name = configured[CredentialPrefix.Length..];
            return string.IsNullOrEmpty(directory) || name.Length == 0 || name.Contains('/', StringComparison.Ordinal)
                ? null
                : Path.Combine(directory, name);
        }

        var expanded = configured.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), configured[2..])
            : configured;
        return Path.GetFullPath(expanded, WorkingDirectory);
    }
}
