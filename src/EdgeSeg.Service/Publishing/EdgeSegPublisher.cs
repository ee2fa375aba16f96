using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Timing;
using EdgeSeg.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSeg.Service.Publishing;

/// <summary>
/// Publishes what the service produces on the documented topics (see README "MQTT topics"): masks as PNG,
/// metrics and events JSON, overlays, the retained status and class list on every connect, and answers commands.
/// </summary>
/// <remarks>
/// Takes over the client's <see cref="MqttClient.Connected"/> and <see cref="MqttClient.MessageReceived"/> callbacks;
/// create it before starting the client. The <c>Publish*</c> methods never block: they queue into per-stream outboxes
/// (masks and overlays latest-only, metrics and events on disk) and return false when a message was not taken
/// (rate-limited or a full queue). Thread-safe. The client owns the outboxes; dispose the client to release them.
/// Commands never run on the client's threads: <c>set-rate</c> is applied at once, <c>snapshot</c> and
/// <c>reload-model</c> go through a bounded <see cref="CommandQueue"/> with a timeout each, and every command gets
/// one reply (a full queue answers "busy"). Dispose the publisher before stopping the client.
/// </remarks>
internal sealed partial class EdgeSegPublisher : IAsyncDisposable
{
    private const string JsonContentType = "application/json";
    private static readonly string ClassListVersion = ApplianceClasses.ListVersion.ToString(CultureInfo.InvariantCulture);

    private readonly MqttClient _client;
    private readonly PublisherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, PublishedStream Stream), (double? Fps, long LastTicks)> _rates = [];
    private readonly CommandQueue _commands;
    private readonly CancellationTokenSource _stopping = new();
    private long _rateSkipped;

    /// <summary>Creates the publisher over <paramref name="client"/> (not yet started; its options should carry <see cref="CreateWill"/>).</summary>
    public EdgeSegPublisher(MqttClient client, PublisherOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Topics = new TopicLayout(options.TopicPrefix, options.DeviceId);
        MaskOutbox = client.CreateOutbox(new MqttOutboxOptions { Name = "mask", OfflinePolicy = MqttOfflinePolicy.LatestPerTopic });
        OverlayOutbox = client.CreateOutbox(new MqttOutboxOptions { Name = "overlay", OfflinePolicy = MqttOfflinePolicy.LatestPerTopic });
        MetricsOutbox = client.CreateOutbox(new MqttOutboxOptions
        {
            Name = "metrics", OfflinePolicy = MqttOfflinePolicy.DiskQueue, QueueDirectory = options.QueueDirectory, MaxQueuedMessages = options.MaxQueuedMessages,
        });
        EventsOutbox = client.CreateOutbox(new MqttOutboxOptions
        {
            Name = "events", OfflinePolicy = MqttOfflinePolicy.DiskQueue, QueueDirectory = options.QueueDirectory, MaxQueuedMessages = options.MaxQueuedMessages,
        });
        // Commands are part of the session: a connection counts as connected only once the broker acknowledged this
        // subscription, so a consumer that sees "online" can send a command at once.
        client.AddSubscriptions([new MqttSubscription(Topics.CommandFilter)]);
        client.Connected = OnConnectedAsync;
        client.MessageReceived = OnMessageAsync;
        _commands = new CommandQueue(
            (command, ct) => ExecuteAsync(command, ct),
            command => command is ReloadModelCommand ? options.ReloadModelTimeout : options.CommandTimeout,
            _logger);
    }

    /// <summary>The topic layout.</summary>
    public TopicLayout Topics { get; }

    /// <summary>Latest-only outbox of masks (queue depth and drops for health and metrics).</summary>
    public MqttOutbox MaskOutbox { get; }

    /// <summary>Latest-only outbox of overlays.</summary>
    public MqttOutbox OverlayOutbox { get; }

    /// <summary>On-disk outbox of metrics.</summary>
    public MqttOutbox MetricsOutbox { get; }

    /// <summary>On-disk outbox of events.</summary>
    public MqttOutbox EventsOutbox { get; }

    /// <summary>Frames not published because a stream's rate limit skipped them.</summary>
    public long RateSkipped => Interlocked.Read(ref _rateSkipped);

    /// <summary>Model name for the status message; set when a model is loaded.</summary>
    public string Model { get; set; } = "";

    /// <summary>Execution provider for the status message (cpu, cuda, tensorrt).</summary>
    public string Provider { get; set; } = "";

    /// <summary>For the status message: whether the service is ready (as <c>/readyz</c> says).</summary>
    public bool Ready { get; set; }

    /// <summary>For the status message: what keeps the service from doing its job end to end (empty when nothing).</summary>
    public IReadOnlyList<string> Problems { get; set; } = [];

    /// <summary>Runs <c>cmd/snapshot</c>; null answers "not supported".</summary>
    public Func<SnapshotCommand, CancellationToken, Task<CommandResult>>? SnapshotRequested { get; set; }

    /// <summary>Runs <c>cmd/reload-model</c>; null answers "not supported".</summary>
    public Func<ReloadModelCommand, CancellationToken, Task<CommandResult>>? ReloadModelRequested { get; set; }

    /// <summary>Told after <c>cmd/set-rate</c> changed a rate (the publisher applies it itself).</summary>
    public Action<SetRateCommand>? RateChanged { get; set; }

    /// <summary>The last will to put in the client options: retained <c>{"state":"offline"}</c> on the status topic, QoS 1.</summary>
    public static MqttMessage CreateWill(PublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new TopicLayout(options.TopicPrefix, options.DeviceId);
        return new MqttMessage(layout.Status, Json(w =>
        {
            w.WriteString("state", "offline");
            w.WriteString("device", options.DeviceId);
        }))
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = JsonContentType,
            PayloadFormat = MqttPayloadFormat.Utf8,
        };
    }

    /// <summary>
    /// Queues the mask of one frame as an 8-bit single-channel PNG (scaled by <see cref="PublisherOptions.MaskScale"/>)
    /// with content type <c>image/png</c> and user properties <c>frame-index</c>, <c>capture-time</c>, <c>width</c>,
    /// <c>height</c>, <c>model</c>, <c>class-list-version</c>. The mask is encoded before return; the caller keeps it.
    /// </summary>
    /// <returns>False when the rate limit skipped the frame.</returns>
    public bool PublishMask(string source, Mask mask, long frameIndex, DateTimeOffset captureTime, string modelName, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var topic = Topics.Mask(source);
        if (!force && !Admit(source, PublishedStream.Mask))
        {
            return false;
        }

        var (png, width, height) = MaskPng.Encode(mask, _options.MaskScale);
        return MaskOutbox.TryEnqueue(new MqttMessage(topic, png)
        {
            QualityOfService = _options.MaskQos,
            ContentType = "image/png",
            PayloadFormat = MqttPayloadFormat.Bytes,
            UserProperties =
            [
                new("frame-index", frameIndex.ToString(CultureInfo.InvariantCulture)),
                new("capture-time", captureTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
                new("width", width.ToString(CultureInfo.InvariantCulture)),
                new("height", height.ToString(CultureInfo.InvariantCulture)),
                new("model", modelName),
                new("class-list-version", ClassListVersion),
            ],
        });
    }

    /// <summary>Queues already-encoded per-frame metrics JSON (QoS 1, on-disk queue), subject to the metrics rate.</summary>
    /// <returns>False when rate-limited or the queue is full.</returns>
    public bool PublishMetrics(string source, ReadOnlyMemory<byte> json, long frameIndex)
    {
        var topic = Topics.Metrics(source);
        return Admit(source, PublishedStream.Metrics) && MetricsOutbox.TryEnqueue(JsonMessage(topic, json, frameIndex));
    }

    /// <summary>Queues already-encoded event JSON (start/update/end; QoS 1, on-disk queue, never rate-limited).</summary>
    /// <returns>False when the queue is full.</returns>
    public bool PublishEvent(string source, ReadOnlyMemory<byte> json) =>
        EventsOutbox.TryEnqueue(JsonMessage(Topics.Events(source), json, null));

    /// <summary>Queues an already-encoded overlay JPEG (latest-only), subject to the overlay rate.</summary>
    /// <returns>False when rate-limited.</returns>
    public bool PublishOverlay(string source, ReadOnlyMemory<byte> jpeg, long frameIndex, bool force = false)
    {
        var topic = Topics.Overlay(source);
        if (!force && !Admit(source, PublishedStream.Overlay))
        {
            return false;
        }

        return OverlayOutbox.TryEnqueue(new MqttMessage(topic, jpeg)
        {
            QualityOfService = _options.OverlayQos,
            ContentType = "image/jpeg",
            UserProperties = [new("frame-index", frameIndex.ToString(CultureInfo.InvariantCulture))],
        });
    }

    /// <summary>The current largest rate of a stream (null: every frame).</summary>
    public double? GetRate(string source, PublishedStream stream)
    {
        lock (_gate)
        {
            return _rates.TryGetValue((source, stream), out var rate) ? rate.Fps : DefaultRate(stream);
        }
    }

    /// <summary>Sets the largest rate of a stream of a source (null: every frame).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not from <see cref="FrameRate.Minimum"/> to <see cref="FrameRate.Maximum"/>.</exception>
    public void SetRate(string source, PublishedStream stream, double? framesPerSecond)
    {
        TopicLayout.CheckLevel(source, nameof(source));
        if (framesPerSecond is { } f && !FrameRate.IsValid(f))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), f, $"A rate is from {FrameRate.RangeText} frames per second.");
        }

        lock (_gate)
        {
            _rates[(source, stream)] = (framesPerSecond, 0);
        }
    }

    /// <summary>
    /// Stops the command queue (a command still running is told to stop; waiting ones are answered "the service is
    /// stopping") and gives up replies still waiting for a connection. Call before stopping the client.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _commands.DisposeAsync();
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    /// <summary>Publishes the retained online status now (also done on every connect).</summary>
    public Task PublishOnlineAsync(CancellationToken cancellationToken = default) =>
        _client.PublishAsync(new MqttMessage(Topics.Status, Json(w =>
        {
            w.WriteString("state", "online");
            w.WriteString("device", _options.DeviceId);
            w.WriteString("version", _options.Version);
            w.WriteString("model", Model);
            w.WriteString("provider", Provider);
            w.WriteStartArray("sources");
            foreach (var s in _options.Sources)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
            w.WriteBoolean("ready", Ready);
            w.WriteStartArray("problems");
            foreach (var problem in Problems)
            {
                w.WriteStringValue(problem);
            }

            w.WriteEndArray();
            w.WriteString("since", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        }))
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = JsonContentType,
            PayloadFormat = MqttPayloadFormat.Utf8,
        }, cancellationToken);

    /// <summary>Publishes the retained offline status; call before a graceful stop (the will covers crashes).</summary>
    public Task PublishOfflineAsync(CancellationToken cancellationToken = default) =>
        _client.PublishAsync(CreateWill(_options), cancellationToken);

    private static MqttMessage JsonMessage(string topic, ReadOnlyMemory<byte> json, long? frameIndex) => new(topic, json)
    {
        QualityOfService = MqttQualityOfService.AtLeastOnce,
        ContentType = JsonContentType,
        PayloadFormat = MqttPayloadFormat.Utf8,
        UserProperties = frameIndex is { } f ? [new("frame-index", f.ToString(CultureInfo.InvariantCulture))] : null,
    };

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private double? DefaultRate(PublishedStream stream) => stream switch
    {
        PublishedStream.Mask => _options.MaskMaxRate,
        PublishedStream.Metrics => _options.MetricsMaxRate,
        _ => _options.OverlayMaxRate,
    };

    private bool Admit(string source, PublishedStream stream)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_rates.TryGetValue((source, stream), out var rate))
            {
                rate = (DefaultRate(stream), 0);
            }

            // No TimeSpan is built from the rate: whatever rate got here, the frame path cannot overflow on it.
            if (rate.Fps is { } fps && rate.LastTicks != 0
                && !FrameRate.PeriodElapsed(_time.GetElapsedTime(rate.LastTicks, now), fps))
            {
                Interlocked.Increment(ref _rateSkipped);
                return false;
            }

            _rates[(source, stream)] = (rate.Fps, now);
            return true;
        }
    }

    private async Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        await _client.PublishAsync(new MqttMessage(Topics.Classes, Json(w =>
        {
            w.WriteNumber("version", ApplianceClasses.ListVersion);
            w.WriteStartArray("classes");
            foreach (var c in ApplianceClasses.All)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                w.WriteString("name", c.Name);
                w.WriteString("color", c.Color.ToHex());
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }))
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = JsonContentType,
            PayloadFormat = MqttPayloadFormat.Utf8,
        }, cancellationToken);
        await PublishOnlineAsync(cancellationToken);
    }

    // Called by the client's delivery loop, never its read loop; still returns at once: a set-rate is carried out here
    // (it only changes a number), anything slower goes to the command queue, and a full queue is answered "busy".
    private Task OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (!message.Topic.StartsWith(Topics.CommandPrefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var name = message.Topic[Topics.CommandPrefix.Length..];
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return Task.CompletedTask; // our own replies (cmd/{name}/reply) and deeper topics are not commands
        }

        var command = CommandParser.TryParse(name, message.Payload.Span, _options.Sources, out var error, out var id);
        var replyTopic = TopicLayout.Reply(message.Topic);
        if (message.ResponseTopic is { } requested)
        {
            if (Topics.IsAllowedReplyTopic(requested, out var refused))
            {
                replyTopic = requested;
            }
            else
            {
                command = null;
                error = refused;
            }
        }

        void Reply(CommandResult result) => SendReply(name, id, result, replyTopic, message.CorrelationData);

        if (command is null)
        {
            LogRejected(name, error!);
            Reply(new CommandResult(false, error!));
        }
        else if (command is SetRateCommand rate)
        {
            Reply(ApplyRate(rate));
        }
        else if (!_commands.TryEnqueue(command, name, Reply))
        {
            LogBusy(name, CommandQueue.Capacity);
            Reply(new CommandResult(false, $"busy: {CommandQueue.Capacity} commands are already waiting; try again later"));
        }

        return Task.CompletedTask;
    }

    private void SendReply(string name, string? id, CommandResult result, string replyTopic, ReadOnlyMemory<byte>? correlation)
    {
        var reply = Json(w =>
        {
            if (id is not null)
            {
                w.WriteString("id", id);
            }

            w.WriteString("command", name);
            w.WriteBoolean("ok", result.Ok);
            w.WriteString(result.Ok ? "message" : "error", result.Message);
        });

        // Not awaited: the reply waits for a connection (and a window slot) on its own, never holding the caller.
        _ = SendReplyAsync(new MqttMessage(replyTopic, reply)
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ContentType = JsonContentType,
            PayloadFormat = MqttPayloadFormat.Utf8,
            CorrelationData = correlation,
        });
    }

    private async Task SendReplyAsync(MqttMessage reply)
    {
        try
        {
            await await _client.SendPublishAsync(reply, _stopping.Token);
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException or ArgumentException)
        {
            LogReplyFailed(reply.Topic, e.Message);
        }
    }

    private CommandResult ApplyRate(SetRateCommand rate)
    {
        try
        {
            SetRate(rate.Source, rate.Stream, rate.FramesPerSecond);
        }
        catch (ArgumentException e)
        {
            return new CommandResult(false, e.Message);
        }

        RateChanged?.Invoke(rate);
        return new CommandResult(true, string.Create(CultureInfo.InvariantCulture,
            $"{rate.Stream.ToString().ToLowerInvariant()} of {rate.Source} at {(rate.FramesPerSecond is { } f ? $"{f} fps" : "every frame")}"));
    }

    private async Task<CommandResult> ExecuteAsync(ServiceCommand command, CancellationToken cancellationToken)
    {
        try
        {
            switch (command)
            {
                case SetRateCommand rate:
                    return ApplyRate(rate);
                case SnapshotCommand snapshot when SnapshotRequested is { } handler:
                    return await handler(snapshot, cancellationToken);
                case ReloadModelCommand reload when ReloadModelRequested is { } handler:
                    return await handler(reload, cancellationToken);
                default:
                    return new CommandResult(false, "this service does not support the command");
            }
        }
#pragma warning disable CA1031 // A failing handler is reported to the requester, never allowed to end the read loop.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogCommandFailed(command.GetType().Name, ex);
            return new CommandResult(false, $"failed: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "MQTT command '{Command}' rejected: {Reason}")]
    private partial void LogRejected(string command, string reason);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "MQTT command {Command} failed")]
    private partial void LogCommandFailed(string command, Exception exception);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "MQTT command '{Command}' answered busy: {Capacity} commands already wait")]
    private partial void LogBusy(string command, int capacity);

    [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "MQTT reply on {Topic} not sent: {Reason}")]
    private partial void LogReplyFailed(string topic, string reason);
}
