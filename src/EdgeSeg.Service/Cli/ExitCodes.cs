namespace EdgeSeg.Service.Cli;

/// <summary>The process exit codes of <c>edgeseg</c>, documented in README.md; scripts and systemd rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Done: the configuration is valid (check-config), or every finite source was processed and delivered.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure at run time.</summary>
    public const int Failure = 1;

    /// <summary>The configuration (or the command line) breaks a rule; nothing was opened.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The model could not be loaded (missing, corrupt, card mismatch, no usable provider).</summary>
    public const int ModelUnavailable = 3;

    /// <summary>A finite source (file or folder) could not be opened or read.</summary>
    public const int SourceUnavailable = 4;

    /// <summary>With --exit-when-done: the broker did not acknowledge every message before the deadline.</summary>
    public const int DeliveryIncomplete = 5;

    /// <summary>With --exit-when-done: every source ended, but some frames failed in a stage (their messages are missing).</summary>
    public const int FramesFailed = 6;

    /// <summary>A directory the service writes (the MQTT offline queue) cannot be created or written; nothing was started.</summary>
    public const int StateUnavailable = 7;
}
