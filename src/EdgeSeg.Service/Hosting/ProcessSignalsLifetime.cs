using Microsoft.Extensions.Hosting;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// The host's lifetime when <see cref="ProcessSignals"/> handles the signals (<c>edgeseg run</c>): in place of the
/// console lifetime, which would register SIGINT, SIGTERM and SIGQUIT handlers of its own and race ours. Stops come
/// from <see cref="ProcessSignals.StopRequested"/>, wired to the host's StopApplication by <c>run</c>.
/// </summary>
internal sealed class ProcessSignalsLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
