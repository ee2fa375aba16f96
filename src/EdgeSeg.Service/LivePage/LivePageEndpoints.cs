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
/// <c>/api/live/stream</c> the same document as server-sent events every <see cref="StreamInterval"/>, and
/// <c>/api/live/overlay/{source}.jpg</c> the latest overlay, rendered only because someone asked for it. Nothing here
/// can hold a frame: the pipeline only copies figures into <see cref="LiveState"/> and, when asked, a frame into the
/// <see cref="SnapshotStore"/>; a slow or stuck client only delays its own responses and loses updates.
/// </summary>
internal static partial class LivePageEndpoints
{
    /// <summary>How often an update stream sends the document.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one update may wait for a client that does not read before the stream is closed.</summary>
    public static readonly TimeSpan StreamWriteTimeout = TimeSpan.FromSeconds(5);

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
        IHostApplicationLifetime lifetime, ILogger<LiveDocument> logger)
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
            using var timer = new PeriodicTimer(StreamInterval);
            do
            {
                // Each update is the document as it stands now: a client that cannot keep up loses the updates in
                // between, and nothing queues for it beyond one update in Kestrel's bounded response buffer.
                var json = document.Render();
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                bounded.CancelAfter(StreamWriteTimeout);
                try
                {
                    await response.Body.WriteAsync(DataPrefix, bounded.Token);
                    await response.Body.WriteAsync(json, bounded.Token);
                    await response.Body.WriteAsync(EventEnd, bounded.Token);
                    await response.Body.FlushAsync(bounded.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    metrics.LiveStreamsDropped.WithLabels().Increment();
                    LogStreamDropped(logger, context.Connection.RemoteIpAddress, (int)StreamWriteTimeout.TotalSeconds);
                    context.Abort();
                    return;
                }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the live-page stream of {Client}: it read nothing for {Seconds} s")]
    private static partial void LogStreamDropped(ILogger logger, System.Net.IPAddress? client, int seconds);
}
