using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// The live page's HTTP surface, all read-only (GET): <c>/</c> the page, <c>/api/live</c> its JSON document,
/// <c>/api/live/stream</c> the same document as server-sent events (every <see cref="LiveStreamOptions.Interval"/>), and
/// <c>/api/live/overlay/{source}.jpg</c> the latest overlay, rendered only because someone asked for it. Nothing here
/// can hold a frame: the pipeline only copies figures into <see cref="LiveState"/> and, when asked, a frame into the
/// <see cref="SnapshotStore"/>; a slow or stuck client only delays its own responses and loses updates.
/// </summary>
internal static partial class LivePageEndpoints
{
    // An overlay this fresh is shared by every page that asks (two open pages do not double the renders).
    private static readonly TimeSpan OverlayMaxAge = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan OverlayWait = TimeSpan.FromSeconds(2);
    private static readonly byte[] StreamStart = "retry: 2000\n\n"u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Maps the endpoints on <paramref name="routes"/>.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = LivePageResource.ContentSecurityPolicy;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(LivePageResource.Html, "text/html; charset=utf-8");
        });

        routes.MapGet("/api/live", (HttpContext context, LiveDocument document) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(document.Render(), "application/json; charset=utf-8");
        });

        routes.MapGet("/api/live/stream", StreamAsync);

        routes.MapGet("/api/live/overlay/{file}", async (string file, LiveState state, SnapshotStore snapshots, HttpContext context) =>
        {
            const string Extension = ".jpg";
            var source = file.EndsWith(Extension, StringComparison.Ordinal) ? file[..^Extension.Length] : null;
            if (source is null || state.Find(source) is null)
            {
                return Results.Text($"not found: overlays are /api/live/overlay/{{source}}.jpg, with a source id of {string.Join(", ", state.Sources.Select(s => s.Id))}\n",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            var jpeg = await snapshots.GetAsync(source, OverlayMaxAge, OverlayWait, context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";

            // No frame since the page asked (a source that is starting, reconnecting or ended): nothing to show yet.
            return jpeg is null ? Results.NoContent() : Results.Bytes(jpeg, "image/jpeg");
        });
    }

    private static async Task StreamAsync(HttpContext context, LiveDocument document, LiveState state, ServiceMetrics metrics,
        LiveStreamOptions options, IHostApplicationLifetime lifetime, ILogger<LiveDocument> logger)
    {
        var response = context.Response;
        if (!state.TryOpenStream())
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"too many live streams open (at most {LiveState.MaxStreams}); poll /api/live instead\n", context.RequestAborted);
            return;
        }

        var open = metrics.LiveStreams.WithLabels();
        open.Set(state.Streams);
        try
        {
            // A stopping host ends every stream, so that shutdown does not wait for open pages.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.Body.WriteAsync(StreamStart, stop.Token);
            using var timer = new PeriodicTimer(options.Interval);
            do
            {
                // Each update is the document as it stands now: a client that cannot keep up loses the updates in
                // between, and nothing queues for it beyond one update in Kestrel's bounded response buffer.
                var json = document.Render();
                var write = WriteUpdateAsync(response, json, stop.Token);
                if (!write.IsCompleted)
                {
                    // Raced against a timer rather than cancelled: whether a cancelled flush returns depends on the
                    // transport, and a client that reads nothing must not keep this stream (or its buffer) alive.
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    if (await Task.WhenAny(write, Task.Delay(options.WriteTimeout, timeout.Token)) != write)
                    {
                        if (!stop.IsCancellationRequested)
                        {
                            metrics.LiveStreamsDropped.WithLabels().Increment();
                            LogStreamDropped(logger, context.Connection.RemoteIpAddress, options.WriteTimeout.TotalSeconds);
                        }

                        // Closing the connection ends the stuck write; its outcome is of no interest any more.
                        context.Abort();
                        _ = write.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                        return;
                    }

                    await timeout.CancelAsync();
                }

                await write;
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the service is stopping.
        }
        finally
        {
            state.CloseStream();
            open.Set(state.Streams);
        }
    }

    private static async Task WriteUpdateAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(DataPrefix, cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync(EventEnd, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the live-page stream of {Client}: it read nothing for {Seconds} s")]
    private static partial void LogStreamDropped(ILogger logger, System.Net.IPAddress? client, double seconds);
}
