namespace EdgeSeg.Service.Hosting;

/// <summary>How <c>edgeseg run</c> was asked to behave (from its command-line flags, not the configuration).</summary>
/// <param name="ExitWhenDone">Stop with exit code 0 once every finite source is processed and delivered.</param>
/// <param name="Summary">Show the live console summary instead of the log on the console.</param>
internal sealed record RunMode(bool ExitWhenDone, bool Summary);
