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
    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps the endpoints on <paramref name="routes"/>.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        // Process up: answers as soon as Kestrel listens, whatever the pipeline does.
        // GET and HEAD everywhere: probes (load balancers, curl -I, monitoring) often ask with HEAD.
        routes.MapMethods("/healthz", ReadMethods, () => Results.Text("ok\n", "text/plain; charset=utf-8"));

        routes.MapMethods("/readyz", ReadMethods, (ServiceHealth health) =>
        {
            var body = new
            {
                ready = health.IsReady,
                model = new { loaded = health.ModelLoaded, name = health.ModelName, provider = health.Provider },
                broker = new { connected = health.BrokerConnected, detail = health.BrokerDetail },
                problems = health.Problems,
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

        routes.MapMethods("/metrics", ReadMethods, (MetricsRegistry registry) => Results.Text(registry.Scrape(), PrometheusText.ContentType));

        routes.MapMethods("/snapshot/{file}", ReadMethods, async (string file, SnapshotStore snapshots, HttpContext context) =>
        {
            const string Extension = ".jpg";
            if (!file.EndsWith(Extension, StringComparison.Ordinal) || !NameRules.IsValid(file[..^Extension.Length]))
            {
                // The body never lists the source ids: an unauthenticated caller learns nothing it did not already know.
                return Results.Text("not found: snapshots are /snapshot/{source}.jpg\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            var source = file[..^Extension.Length];
            var jpeg = await snapshots.GetAsync(source, SnapshotMaxAge, SnapshotWait, context.RequestAborted);
            if (jpeg is null)
            {
                var known = snapshots.Sources.Contains(source, StringComparer.Ordinal);
                return Results.Text(known ? $"no frame from source '{source}' yet\n" : "not found: no such source\n",
                    "text/plain; charset=utf-8", statusCode: known ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound);
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(jpeg, "image/jpeg");
        });
    }
}
