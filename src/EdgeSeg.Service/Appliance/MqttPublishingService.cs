using System.Reflection;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Hosting;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Metrics;
using EdgeSeg.Service.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// Owns the MQTT client and the <see cref="EdgeSegPublisher"/> for the life of the host: builds them from the
/// <c>Mqtt</c> settings in StartAsync (the client connects in the background; the queues take messages at once),
/// mirrors the connection and queue state into health and metrics, and on stop publishes the retained offline status
/// and disconnects. Registered before the appliance so that it stops after the pipeline has drained into it.
/// </summary>
internal sealed partial class MqttPublishingService(
    EdgeSegSettings settings,
    ServiceHealth health,
    ServiceMetrics metrics,
    SnapshotStore snapshots,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan StateInterval = TimeSpan.FromMilliseconds(500);
    private readonly ILogger _logger = loggers.CreateLogger<MqttPublishingService>();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttClient? _client;

    /// <summary>Completes once <see cref="Publisher"/> is set (services start concurrently; the sink waits on it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The publisher; null before start.</summary>
    public EdgeSegPublisher? Publisher { get; private set; }

    /// <summary>What the health checks read of the MQTT side; null before start.</summary>
    public IBrokerLink? Link { get; private set; }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartCoreAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // The appliance waits for the publisher: it must fail with this start, not wait for ever.
            _ready.TrySetException(e);
            throw;
        }

        await base.StartAsync(cancellationToken);
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var mqtt = settings.Mqtt;
        try
        {
            // Created (and its files written) now, so a directory that cannot be used fails the start at once.
            Directory.CreateDirectory(mqtt.OfflineQueueDirectory);
            var probe = Path.Combine(mqtt.OfflineQueueDirectory, ".write-test");
            await File.WriteAllBytesAsync(probe, [], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException($"Mqtt:OfflineQueue:Directory = '{mqtt.OfflineQueueDirectory}': cannot be created or written: {e.Message}",
                ExitCodes.StateUnavailable, e);
        }

        var options = new PublisherOptions
        {
            TopicPrefix = mqtt.TopicPrefix,
            DeviceId = settings.Device.Id,
            Sources = [.. settings.Sources.Select(s => s.Id)],
            MaskScale = mqtt.Mask.Scale,
            MaskQos = (MqttQualityOfService)mqtt.Mask.Qos,
            OverlayQos = (MqttQualityOfService)mqtt.Overlay.Qos,
            MaskMaxRate = mqtt.Mask.MaxRate > 0 ? mqtt.Mask.MaxRate : null,
            MetricsMaxRate = mqtt.Metrics.MaxRate > 0 ? mqtt.Metrics.MaxRate : null,
            OverlayMaxRate = mqtt.Overlay.MaxRate > 0 ? mqtt.Overlay.MaxRate : null,
            QueueDirectory = mqtt.OfflineQueueDirectory,
            MaxQueuedMessages = mqtt.OfflineQueueMaxMessages,
            Version = typeof(MqttPublishingService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        };
        var password = mqtt.PasswordFile is null ? null : (await File.ReadAllTextAsync(mqtt.PasswordFile, cancellationToken)).TrimEnd('\r', '\n');
        var clientOptions = new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(mqtt.Host, mqtt.Port, mqtt.TlsEnabled), .. mqtt.Endpoints.Select(e => new MqttEndpoint(e.Host, e.Port, mqtt.TlsEnabled))],
            ProtocolVersion = mqtt.ProtocolVersion == MqttProtocol.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
            ClientId = mqtt.ClientId,
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
            UserName = mqtt.Username,
            Password = password,
            Will = EdgeSegPublisher.CreateWill(options),
            Tls = mqtt.TlsEnabled
                ? new MqttTlsOptions { CaFile = mqtt.TlsCaFile, ClientCertificateFile = mqtt.TlsCertFile, ClientKeyFile = mqtt.TlsKeyFile, ServerName = mqtt.TlsServerName }
                : null,
        };
        _client = new MqttClient(clientOptions, loggers.CreateLogger<MqttClient>());
        try
        {
            // Opens the on-disk queues (files in the directory checked above).
            Publisher = new EdgeSegPublisher(_client, options, loggers.CreateLogger<EdgeSegPublisher>())
            {
                SnapshotRequested = OnSnapshotRequestedAsync,
                ReloadModelRequested = (command, ct) => ReloadHandler is { } reload
                    ? reload(command, ct)
                    : Task.FromResult(new CommandResult(false, "the model is still loading")),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException($"Mqtt:OfflineQueue:Directory = '{mqtt.OfflineQueueDirectory}': the offline queue cannot be opened: {e.Message}",
                ExitCodes.StateUnavailable, e);
        }
        Link = new PublisherBrokerLink(_client, Publisher);
        _ready.TrySetResult();
        metrics.Registry.OnCollect(Refresh);
        await _client.StartAsync(cancellationToken);
        var endpoints = string.Join(", ", clientOptions.Endpoints);
        var topics = $"{mqtt.TopicPrefix}/{settings.Device.Id}/#";
        LogStarting(_logger, endpoints, topics);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client is null || Publisher is null)
        {
            return;
        }

        try
        {
            if (_client.IsConnected)
            {
                // A graceful stop sends DISCONNECT, so the broker does not publish the will: say offline ourselves.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(TimeSpan.FromSeconds(3));
                await Publisher.PublishOfflineAsync(bounded.Token);
            }
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            LogOfflineFailed(_logger, e.Message);
        }

        await Publisher.DisposeAsync();
        await _client.StopAsync(CancellationToken.None);
        await _client.DisposeAsync();
        health.SetBroker(false, "stopped");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StateInterval);
        var was = (bool?)null;
        var published = "";
        try
        {
            do
            {
                var connected = _client!.IsConnected;
                if (connected != was)
                {
                    health.SetBroker(connected, connected ? null : $"not connected to {settings.Mqtt.Host}:{settings.Mqtt.Port}");
                    metrics.MqttConnected.WithLabels().Set(connected);
                    was = connected;
                }

                Refresh();

                // The retained status says whether the service does its job end to end, and why not: republished
                // when that changes (every connect publishes it too).
                var problems = health.Problems;
                var state = string.Join("\n", problems.Prepend(health.IsReady ? "ready" : "not ready"));
                Publisher!.Ready = health.IsReady;
                Publisher.Problems = problems;
                if (connected && state != published && await TryPublishOnlineAsync(stoppingToken))
                {
                    published = state;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> TryPublishOnlineAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(3));
            await Publisher!.PublishOnlineAsync(bounded.Token);
            return true;
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogOnlineFailed(_logger, e.Message);
            return false;
        }
    }

    /// <summary>Carries out <c>cmd/reload-model</c>; set by the appliance once its pipeline runs.</summary>
    public Func<ReloadModelCommand, CancellationToken, Task<CommandResult>>? ReloadHandler { get; set; }

    /// <summary>
    /// Records the model and provider for the retained online status and republishes it (the first connect may have
    /// happened while the model was still loading).
    /// </summary>
    public async Task SetModelAsync(string model, string provider, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken);
        Publisher!.Model = model;
        Publisher.Provider = provider;
        if (_client!.IsConnected)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(TimeSpan.FromSeconds(3));
                await Publisher.PublishOnlineAsync(bounded.Token);
            }
            catch (Exception e) when (e is MqttException or OperationCanceledException)
            {
                // The next connect publishes it again.
                LogOnlineFailed(_logger, e.Message);
            }
        }
    }

    /// <summary>The <c>cmd/snapshot</c> command: the next overlay of each named source, published on its overlay topic.</summary>
    private async Task<CommandResult> OnSnapshotRequestedAsync(SnapshotCommand command, CancellationToken cancellationToken)
    {
        var sources = command.Source is null ? settings.Sources.Select(s => s.Id).ToArray() : [command.Source];
        var published = new List<string>();
        foreach (var source in sources)
        {
            var jpeg = await snapshots.GetAsync(source, TimeSpan.Zero, TimeSpan.FromSeconds(3), cancellationToken);
            if (jpeg is null)
            {
                return new CommandResult(false, $"no frame from source '{source}' to take a snapshot of");
            }

            Publisher!.PublishOverlay(source, jpeg, -1, force: true);
            published.Add(Publisher.Topics.Overlay(source));
        }

        return new CommandResult(true, $"snapshot published on {string.Join(", ", published)}");
    }

    private void Refresh()
    {
        if (Publisher is not { } publisher)
        {
            return;
        }

        metrics.MqttOfflineQueue.WithLabels().Set(publisher.MetricsOutbox.QueueDepth + publisher.EventsOutbox.QueueDepth);
        foreach (var outbox in new[] { publisher.MaskOutbox, publisher.MetricsOutbox, publisher.EventsOutbox, publisher.OverlayOutbox })
        {
            metrics.MqttPublished.WithLabels(outbox.Name).AdvanceTo(outbox.DeliveredCount);
            metrics.MqttDropped.WithLabels(outbox.Name).AdvanceTo(outbox.DroppedCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connecting to {Endpoints}; topics {Topics}")]
    private static partial void LogStarting(ILogger logger, string endpoints, string topics);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the online status could not be republished: {Message}")]
    private static partial void LogOnlineFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the offline status could not be published before stopping: {Message}")]
    private static partial void LogOfflineFailed(ILogger logger, string message);
}
