using EdgeSeg.Mqtt;
using EdgeSeg.Service.Publishing;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Publishing;

/// <summary>A started publisher (service side) and a watching client (consumer side) on a real mosquitto.</summary>
internal sealed class PublisherFixture : IAsyncDisposable
{
    private PublisherFixture(MosquittoBroker broker, MqttClient service, EdgeSegPublisher publisher, MqttClient watcher, ReceivedMessages received, string queue)
    {
        Broker = broker;
        Service = service;
        Publisher = publisher;
        Watcher = watcher;
        Received = received;
        QueueDirectory = queue;
    }

    public MosquittoBroker Broker { get; }

    public MqttClient Service { get; }

    public EdgeSegPublisher Publisher { get; }

    public MqttClient Watcher { get; }

    public ReceivedMessages Received { get; }

    public string QueueDirectory { get; }

    public static MqttClientOptions ClientOptions(MosquittoBroker broker, string clientId, MqttMessage? will = null) => new()
    {
        Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
        ClientId = clientId,
        KeepAlive = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        Will = will,
    };

    public static async Task<PublisherFixture> StartAsync(double maskScale = 1, Action<EdgeSegPublisher>? configure = null, TimeSpan? reloadModelTimeout = null)
    {
        var broker = await MosquittoBroker.StartAsync();
        var received = new ReceivedMessages();
        var watcher = new MqttClient(ClientOptions(broker, "watcher")) { MessageReceived = received.Handle };
        await watcher.StartAsync();
        await watcher.SubscribeAsync([new MqttSubscription("edgeseg/v1/#")]);

        var queue = Path.Combine(Path.GetTempPath(), "edgeseg-publisher-" + Guid.NewGuid().ToString("N")[..10]);
        var options = new PublisherOptions
        {
            DeviceId = "box1",
            Sources = ["cam0", "cam1"],
            QueueDirectory = queue,
            MaskScale = maskScale,
            OverlayMaxRate = null,
            Version = "0.1.0",
            ReloadModelTimeout = reloadModelTimeout ?? TimeSpan.FromMinutes(15),
        };
        var service = new MqttClient(ClientOptions(broker, "edgeseg-box1", EdgeSegPublisher.CreateWill(options)));
        var publisher = new EdgeSegPublisher(service, options) { Model = "unet-test", Provider = "cpu" };
        configure?.Invoke(publisher);
        await service.StartAsync();
        await service.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return new PublisherFixture(broker, service, publisher, watcher, received, queue);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Service.DisposeAsync();
        await Watcher.DisposeAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(QueueDirectory))
        {
            Directory.Delete(QueueDirectory, recursive: true);
        }
    }
}
