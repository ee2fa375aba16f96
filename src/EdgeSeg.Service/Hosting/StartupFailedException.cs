namespace EdgeSeg.Service.Hosting;

/// <summary>
/// A component could not start (the model did not load, a file source did not open): thrown from a hosted service's
/// StartAsync so the host never reports started, and turned by <c>edgeseg run</c> into its message and exit code.
/// </summary>
public sealed class StartupFailedException : Exception
{
    /// <summary>Creates the exception with exit code 1.</summary>
    public StartupFailedException()
        : this("The service could not start.")
    {
    }

    /// <summary>Creates the exception with exit code 1.</summary>
    public StartupFailedException(string message)
        : this(message, Cli.ExitCodes.Failure)
    {
    }

    /// <summary>Creates the exception with exit code 1.</summary>
    public StartupFailedException(string message, Exception innerException)
        : this(message, Cli.ExitCodes.Failure, innerException)
    {
    }

    /// <summary>Creates the exception with an exit code (see <c>ExitCodes</c>) and the component's own error.</summary>
    public StartupFailedException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code to use.</summary>
    public int ExitCode { get; }
}
