using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Summary;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSeg.Service.Hosting;

/// <summary>
/// The appliance's frame path as hosted services: what <c>edgeseg run</c> starts after the shared singletons
/// (settings, health, metrics, systemd). Hosted services start in registration order and stop in reverse: the
/// pipeline stops (and drains into the sinks) before anything registered before it.
/// </summary>
internal static class ApplianceRegistration
{
    /// <summary>Registers the appliance's hosted services.</summary>
    public static void AddAppliance(IServiceCollection services, RunMode mode)
    {
        // MQTT first: hosted services stop in reverse order, so the pipeline drains into the publisher before it stops.
        services.AddSingleton<MqttPublishingService>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttPublishingService>());
        services.AddSingleton<MqttFrameSink>();
        services.AddSingleton<Pipeline.Processing.IFrameSink>(sp => sp.GetRequiredService<MqttFrameSink>());
        // After the MQTT sink, so that the latency the live page shows runs from capture to publish.
        services.AddSingleton<Pipeline.Processing.IFrameSink, LivePage.LivePageSink>();
        services.AddSingleton<ApplianceService>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplianceService>());
        if (mode.Summary)
        {
            services.AddHostedService<LiveSummary>();
        }
    }
}
