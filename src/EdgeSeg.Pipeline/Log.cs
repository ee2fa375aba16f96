using EdgeSeg.Pipeline.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Pipeline;

/// <summary>The pipeline's log messages (source-generated: no allocation when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Source {SourceId} running: {Kind} {Uri}, {Width}x{Height} at {Fps:0.##} fps")]
    public static partial void SourceRunning(ILogger logger, string sourceId, FrameSourceKind kind, string uri, int width, int height, double fps);

    [LoggerMessage(2, LogLevel.Warning, "Source {SourceId} ({Uri}) lost: {Reason}; reconnecting with backoff until it returns")]
    public static partial void SourceLost(ILogger logger, string sourceId, string uri, string reason);

    [LoggerMessage(3, LogLevel.Information, "Source {SourceId} resumed after {Attempts} attempt(s); {GapSeconds:0.###} s without frames")]
    public static partial void SourceResumed(ILogger logger, string sourceId, int attempts, double gapSeconds);

    [LoggerMessage(4, LogLevel.Information, "Source {SourceId} ended after {Frames} frames")]
    public static partial void SourceEnded(ILogger logger, string sourceId, long frames);

    [LoggerMessage(5, LogLevel.Error, "Source {SourceId} failed and will not be retried: {Reason}")]
    public static partial void SourceFaulted(ILogger logger, string sourceId, string reason);

    [LoggerMessage(6, LogLevel.Information, "Source {SourceId} stopped")]
    public static partial void SourceStopped(ILogger logger, string sourceId);

    [LoggerMessage(7, LogLevel.Debug, "Source {SourceId}: reconnect attempt {Attempt} in {DelaySeconds:0.###} s")]
    public static partial void ReconnectScheduled(ILogger logger, string sourceId, int attempt, double delaySeconds);

    [LoggerMessage(8, LogLevel.Error, "Stage {Stage} failed on a frame of {SourceId}; the frame is dropped")]
    public static partial void StageFailed(ILogger logger, Exception exception, string stage, string sourceId);

    [LoggerMessage(9, LogLevel.Warning, "Pipeline did not drain within {Seconds:0.#} s; cancelling the stages")]
    public static partial void DrainTimedOut(ILogger logger, double seconds);

    [LoggerMessage(10, LogLevel.Warning, "Pipeline stages still busy {Seconds:0.#} s after cancelling; a stage ignores its cancellation token, and the stop waits for it to return its frame")]
    public static partial void StageIgnoresAbort(ILogger logger, double seconds);

    [LoggerMessage(11, LogLevel.Error, "A pipeline stage loop crashed; the frames it held are lost to their pool")]
    public static partial void PipelineCrashed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "A stage's OnFrameReleased failed on a frame of {SourceId}; the frame is returned to its pool anyway")]
    public static partial void ReleaseHookFailed(ILogger logger, Exception exception, string sourceId);

    [LoggerMessage(13, LogLevel.Warning, "Pipeline stopped; {Frames} frame(s) in flight at the drain bound were released unpublished (counted as dropped at stop)")]
    public static partial void StoppedWithDrops(ILogger logger, long frames);

    [LoggerMessage(14, LogLevel.Warning, "Source {SourceId} skipped a frame it cannot read, and goes on: {Reason} ({Skipped} skipped so far)")]
    public static partial void FrameSkipped(ILogger logger, string sourceId, string reason, long skipped);
}
