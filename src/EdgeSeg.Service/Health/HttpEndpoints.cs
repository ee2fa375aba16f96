using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeSeg.Service.Health;

/// <summary>The HTTP surface: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> and <c>/snapshot/{source}.jpg</c>.</summary>
internal static class HttpEndpoints
{
    private static readonly TimeSpan SnapshotMaxAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(3);

    /// <summary>Maps the endpoints on <paramref name="routes"/>.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        // Process up: answers as soon as Kestrel listens, whatever the pipeline does.
        routes.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));

        routes.MapGet("/readyz", (ServiceHealth health) =>
        {
            var body = new
            {
                ready = health.IsReady,
                model = new { loaded = health.ModelLoaded, name = health.ModelName, provider = health.Provider },
                broker = new { connected = health.BrokerConnected, detail = health.BrokerDetail },
                sources = health.Sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new
                {
                    id = s.Key,
                    state = s.Value.State.ToString().ToLowerInvariant(),
                    since = s.Value.Since,
                    detail = s.Value.Detail,
                    fps = Math.Round(health.Fps(s.Key), 2),
                }),
            };
            return Results.Json(body, statusCode: health.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        routes.MapGet("/metrics", (MetricsRegistry registry) => Results.Text(registry.Scrape(), PrometheusText.ContentType));

        routes.MapGet("/snapshot/{file}", async (string file, SnapshotStore snapshots, HttpContext context) =>
        {
            const string Extension = ".jpg";
            if (!file.EndsWith(Extension, StringComparison.Ordinal) || !NameRules.IsValid(file[..^Extension.Length]))
            {
                return Results.Text($"not found: snapshots are /snapshot/{{source}}.jpg, with a source id of {string.Join(", ", snapshots.Sources.Order(StringComparer.Ordinal))}\n",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            var source = file[..^Extension.Length];
            var jpeg = await snapshots.GetAsync(source, SnapshotMaxAge, SnapshotWait, context.RequestAborted);
            if (jpeg is null)
            {
                var known = snapshots.Sources.Contains(source, StringComparer.Ordinal);
                return Results.Text(known ? $"no frame from source '{source}' yet\n" : $"no source '{source}'; sources: {string.Join(", ", snapshots.Sources.Order(StringComparer.Ordinal))}\n",
                    "text/plain; charset=utf-8", statusCode: known ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound);
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(jpeg, "image/jpeg");
        });
    }
}
