namespace EdgeSeg.Service.Configuration;

/// <summary>The configuration broke one or more rules; <see cref="Errors"/> lists every one of them.</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Creates the exception with no errors listed.</summary>
    public InvalidConfigurationException()
        : this("The configuration is invalid.")
    {
    }

    /// <summary>Creates the exception with a message and no errors listed.</summary>
    public InvalidConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    internal InvalidConfigurationException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors.Select(e => e.ToString()).ToArray();
    }

    /// <summary>Each error as one line: key, value and rule.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"The configuration has {errors.Count} error{(errors.Count == 1 ? "" : "s")}:{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
