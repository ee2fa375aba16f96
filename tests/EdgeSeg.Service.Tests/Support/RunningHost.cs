using EdgeSeg.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>The real service host (Kestrel on a loopback port the OS picks) built from a test configuration.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, ConfigFixture fixture)
    {
        App = app;
        Fixture = fixture;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public ConfigFixture Fixture { get; }

    public HttpClient Http { get; }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static Task<RunningHost> StartAsync(Func<string, string?>? environment = null, params string[] overrides) =>
        StartAsync(environment, null, overrides);

    /// <summary>Starts the host; <paramref name="addServices"/> registers more services (e.g. the appliance) after the shared ones.</summary>
    public static async Task<RunningHost> StartAsync(Func<string, string?>? environment, Action<IServiceCollection>? addServices, params string[] overrides)
    {
        var fixture = new ConfigFixture();
        var configuration = fixture.Build(ConfigFixture.ValidJson, overrides);
        var settings = Service.Configuration.EdgeSegSettings.Load(configuration, fixture.Context());
        var app = ServiceHost.Build(settings, configuration, new RunMode(ExitWhenDone: false, Summary: false), environment ?? (_ => null), addServices);
        await app.StartAsync();
        return new RunningHost(app, fixture);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Fixture.Dispose();
    }
}
