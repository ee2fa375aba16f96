namespace EdgeSeg.Service.Trips;

/// <summary>An <c>edgeseg process</c> run as the command line asked for it.</summary>
internal sealed record ProcessRequest
{
    /// <summary>Files, folders and globs.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The folder trips go to, one sub-folder each.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Masks and the overlay video.</summary>
    public TripOptions Options { get; init; } = new(false, false);

    /// <summary>Redo trips that are already finished.</summary>
    public bool Force { get; init; }

    /// <summary>Files through the pipeline at once; 0 picks (see <see cref="ProcessRunner.FilesAtOnce"/>).</summary>
    public int Parallel { get; init; }

    /// <summary><c>--config FILE</c>, in place of /etc/edgeseg/appsettings.json.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>--Key=value</c> overrides.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
