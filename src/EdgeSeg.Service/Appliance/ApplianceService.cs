using System.Collections.Concurrent;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Pipeline;
using EdgeSeg.Pipeline.Diagnostics;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Health;
using EdgeSeg.Service.Hosting;
using EdgeSeg.Service.Metrics;
using EdgeSeg.Service.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HealthState = EdgeSeg.Service.Health.SourceState;
using PipelineState = EdgeSeg.Pipeline.Supervision.SourceState;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The appliance: sources -> segmenter -> scene metrics and events -> publishing sinks, on the channel pipeline.
/// StartAsync loads the model and opens the sources (so READY=1 and the host's "started" mean they are up, and a
/// missing model or unreadable file fails the start with its own exit code); ExecuteAsync keeps the metrics current
/// and ends the run when every finite source is done.
/// </summary>
internal sealed partial class ApplianceService(
    EdgeSegSettings settings,
    RunMode mode,
    ServiceHealth health,
    ServiceMetrics metrics,
    FrameHeartbeat heartbeat,
    EndToEndMonitor monitor,
    SnapshotStore snapshots,
    ServiceExit exit,
    MqttPublishingService mqtt,
    Systemd.SystemdNotifier notifier,
    IEnumerable<IFrameSink> sinks,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = loggers.CreateLogger<ApplianceService>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _opened = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private Segmenter? _segmenter;
    private SegmentationStage? _stage;
    private FramePipeline? _pipeline;
    private SceneStage? _scene;

    /// <summary>The running pipeline (null before start); for the bench and tests.</summary>
    public FramePipeline? Pipeline => _pipeline;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A stop (a signal) is honoured during the load, however long it takes (a TensorRT engine build, a file on a
        // stalled mount): the start gives up at once, and a load that finishes later is disposed.
        var load = Task.Run(LoadModel, CancellationToken.None);
        try
        {
            _segmenter = await load.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = load.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        await mqtt.SetModelAsync(_segmenter.Card.Name, _segmenter.Providers.Active, cancellationToken);
        var sources = new List<IFrameSource>();
        try
        {
            foreach (var source in settings.Sources)
            {
                _opened[source.Id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                sources.Add(FrameSources.Create(ApplianceOptions.Source(source, settings.Pipeline)));
            }
        }
        catch (FrameSourceException e)
        {
            sources.ForEach(s => s.Dispose());
            throw new StartupFailedException(e.Message, ExitCodes.SourceUnavailable, e);
        }

        // The telemetry sink goes last: a frame counts as completed (and feeds the watchdog) once every other sink has it.
        IFrameSink[] allSinks = [.. sinks, new TelemetrySink(metrics, heartbeat, snapshots, settings.Http.SnapshotJpegQuality)];
        _stage = new SegmentationStage(_segmenter, metrics, settings.Pipeline.OverlapInference);
        _pipeline = new FramePipeline(sources, _stage, [_scene = new SceneStage(settings.Scene, metrics, settings.Sources.Where(s => s.Kind == SourceKind.File).Select(s => s.Id).ToHashSet(StringComparer.Ordinal))], allSinks,
            ApplianceOptions.Pipeline(settings.Pipeline), loggers.CreateLogger<FramePipeline>());
        _pipeline.SourceEvent += OnSourceEvent;
        mqtt.ReloadHandler = ReloadModelAsync;
        metrics.Registry.OnCollect(Refresh);
        _pipeline.Start();

        // Start-up is complete when every source has opened or given its first answer (a live source that is down is
        // reconnecting, not a failed start; a file that cannot be read is).
        var longestOpen = settings.Sources.Max(s => s.OpenTimeoutSeconds) + 10;
        var opened = Task.WhenAll(_opened.Values.Select(t => t.Task));
        await opened.WaitAsync(TimeSpan.FromSeconds(longestOpen), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // A file or folder that cannot be read is faulted (with its reason, in /readyz and the log) and the others run
        // on; only when no source is left is the start a failure.
        var failed = settings.Sources.Select((s, i) => (s, i)).Where(x => health.Sources.TryGetValue(x.s.Id, out var st) && st.State == HealthState.Failed).ToArray();
        var lines = failed.Select(x => $"Sources:{x.i}:Uri = '{x.s.Uri}': {health.Sources[x.s.Id].Detail}").ToArray();
        if (failed.Length == settings.Sources.Count)
        {
            await _pipeline.StopAsync();
            throw new StartupFailedException(string.Join(Environment.NewLine, lines), ExitCodes.SourceUnavailable);
        }

        foreach (var line in lines)
        {
            LogSourceFaultedAtStart(_logger, line);
        }

        var providers = _segmenter.Providers.Summary;
        var sourceList = string.Join(", ", settings.Sources);
        LogStarted(_logger, _segmenter.Card.Name, providers, sourceList);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_pipeline is not null)
        {
            // Drains what is in flight (bounded by Pipeline:DrainTimeoutSeconds) before the publisher stops.
            await _pipeline.StopAsync();
        }

        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (_pipeline is not null)
        {
            _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        // The stage owns the segmenter once it exists (a reload may have replaced the one loaded at start).
        if (_stage is not null)
        {
            _stage.Dispose();
        }
        else
        {
            _segmenter?.Dispose();
        }

        _scene?.Dispose();
        _reloading.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pipeline = _pipeline!;
        try
        {
            using var timer = new PeriodicTimer(RefreshInterval);
            while (!pipeline.Completion.IsCompleted)
            {
                var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(pipeline.Completion, tick) == tick && await tick)
                {
                    Refresh();
                }
            }

            await pipeline.Completion;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogPipelineFailed(_logger, e);
            exit.Stop(ExitCodes.Failure, $"the pipeline failed: {e.Message}");
            return;
        }

        if (stoppingToken.IsCancellationRequested || exit.StopRequested)
        {
            // A stop (a signal, or another component ending the run) drained the pipeline: not "every source ended".
            return;
        }

        // Every source ended by itself (files and folders without Loop).
        Refresh();
        var faulted = health.Sources.Where(s => s.Value.State == HealthState.Failed).Select(s => $"{s.Key}: {s.Value.Detail}").ToArray();
        if (faulted.Length > 0)
        {
            exit.Stop(ExitCodes.SourceUnavailable, "a source failed: " + string.Join("; ", faulted));
            return;
        }

        foreach (var sink in sinks.OfType<IFlushableSink>())
        {
            var delivered = await sink.FlushAsync(TimeSpan.FromSeconds(30), stoppingToken);
            if (!delivered)
            {
                exit.Stop(ExitCodes.DeliveryIncomplete, "the broker did not acknowledge every message within 30 s of the last frame");
                return;
            }
        }

        var failedFrames = pipeline.Snapshot().Sources.Sum(s => s.Failed);
        if (failedFrames > 0)
        {
            // Their masks, metrics and events were never published: the run did not do its job, whatever else went out.
            exit.Stop(ExitCodes.FramesFailed, $"{failedFrames} frame(s) failed in a stage and were not published (the log says why)");
            return;
        }

        LogAllEnded(_logger, mode.ExitWhenDone);
        exit.Stop(ExitCodes.Ok, "every source ended");
    }

    /// <summary>
    /// The <c>cmd/reload-model</c> command: opens the configured model (or <c>path</c>) off the frame path and, once it
    /// has loaded and validated, swaps it in between two frames. A model that fails to load leaves the running one in
    /// place. One reload at a time.
    /// </summary>
    internal async Task<CommandResult> ReloadModelAsync(ReloadModelCommand command, CancellationToken cancellationToken)
    {
        if (_stage is not { } stage)
        {
            return new CommandResult(false, "the service is still starting");
        }

        if (!await _reloading.WaitAsync(0, cancellationToken))
        {
            return new CommandResult(false, "a model reload is already in progress");
        }

        try
        {
            var model = settings.Model;
            var running = stage.Current;
            var path = model.Path;
            if (command.ModelPath is { } requested && !new ModelFolders(model.ReloadFolders).TryResolve(requested, out path, out var refused))
            {
                LogReloadFailed(_logger, requested, refused!);
                return new CommandResult(false, $"'{requested}': {refused}; still running {running.Card.Name}");
            }

            var card = command.ModelPath is null ? model.CardPath : null;
            Segmenter next;
            try
            {
                next = await Task.Run(() => OpenSegmenter(path, card), cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidDataException or ArgumentException)
            {
                LogReloadFailed(_logger, path, e.Message);
                return new CommandResult(false, $"'{path}': the model could not be loaded ({e.Message}); still running {running.Card.Name}");
            }

            metrics.Provider.WithLabels(running.Providers.Active, running.Card.Name).Set(0);
            stage.Swap(next);
            _segmenter = next;
            health.SetModel(next.Card.Name, next.Providers.Active);
            metrics.Provider.WithLabels(next.Providers.Active, next.Card.Name).Set(1);
            await mqtt.SetModelAsync(next.Card.Name, next.Providers.Active, cancellationToken);
            LogReloaded(_logger, next.Card.Name, next.Providers.Active, path);
            return new CommandResult(true, $"model {next.Card.Name} loaded from '{path}' ({next.Providers.Active})");
        }
        finally
        {
            _reloading.Release();
        }
    }

    private Segmenter LoadModel()
    {
        var model = settings.Model;
        try
        {
            Directory.CreateDirectory(model.TensorRtCacheDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException($"Model:TensorRt:CacheDirectory = '{model.TensorRtCacheDirectory}': cannot be created: {e.Message}", ExitCodes.ModelUnavailable, e);
        }

        try
        {
            var segmenter = OpenSegmenter(model.Path, model.CardPath);
            health.SetModel(segmenter.Card.Name, segmenter.Providers.Active);
            metrics.ModelLoaded.WithLabels().Set(true);
            metrics.Provider.WithLabels(segmenter.Providers.Active, segmenter.Card.Name).Set(1);
            return segmenter;
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidDataException or ArgumentException)
        {
            throw new StartupFailedException($"Model:Path = '{model.Path}': the model could not be loaded: {e.Message}", ExitCodes.ModelUnavailable, e);
        }
    }

    /// <summary>
    /// Opens and checks a model: it must be a regular file (a FIFO or a device would block the load or never end), and
    /// its tensors for the largest frame must fit <c>Model:MaxTensorMegabytes</c>. The caller owns the segmenter.
    /// </summary>
    private Segmenter OpenSegmenter(string path, string? card)
    {
        if (PathRules.RegularFileProblem(path, "an ONNX model") is { } notAFile)
        {
            throw new InvalidDataException(notAFile);
        }

        var beside = card ?? Path.ChangeExtension(path, ".json");
        if (Native.LibC.KindOf(beside) is not (Native.FileKind.Missing or Native.FileKind.Regular))
        {
            throw new InvalidDataException($"its card {PathRules.RegularFileProblem(beside, "a model card (JSON)")}");
        }

        var segmenter = OnnxRuntimeBackend.OpenSegmenter(path, card, ApplianceOptions.Segmenter(settings.Model, settings.Pipeline.BatchSize, m => LogRuntime(_logger, m)));
        var holding = Math.Max(segmenter.MaxBatchSize, settings.Pipeline.OverlapInference ? SegmentationStage.MaxSlots : 1);
        if (TensorEstimate.Check(segmenter.Card, settings.Pipeline.MaxFramePixels, holding, settings.Model.MaxTensorMegabytes) is { } tooLarge)
        {
            segmenter.Dispose();
            throw new InvalidDataException(tooLarge);
        }

        return segmenter;
    }

    /// <summary>
    /// SIGHUP (systemd's <c>ExecReload</c>): reloads the configured model as <c>cmd/reload-model</c> would, and tells
    /// systemd RELOADING=1 then READY=1. A model that fails to load leaves the running one (logged).
    /// </summary>
    internal async Task ReloadOnSignalAsync(CancellationToken cancellationToken)
    {
        LogReloadSignal(_logger, settings.Model.Path);
        notifier.Notify("RELOADING=1");
        try
        {
            var result = await ReloadModelAsync(new ReloadModelCommand(null, null), cancellationToken);
            if (!result.Ok)
            {
                LogReloadSignalFailed(_logger, result.Message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            notifier.Notify("READY=1");
        }
    }

    private void OnSourceEvent(object? sender, SourceEventArgs e)
    {
        var state = e.State switch
        {
            PipelineState.Starting => HealthState.Starting,
            PipelineState.Running => HealthState.Running,
            PipelineState.Reconnecting => HealthState.Reconnecting,
            PipelineState.Faulted => HealthState.Failed,
            _ => HealthState.Ended,
        };
        health.SetSource(e.SourceId, state, e.Reason);
        metrics.SourceUp.WithLabels(e.SourceId).Set(state == HealthState.Running);
        if (state != HealthState.Starting && _opened.TryGetValue(e.SourceId, out var opened))
        {
            opened.TrySetResult();
        }
    }

    /// <summary>Copies the pipeline's counters into the metrics and health (before each scrape, and every second).</summary>
    private void Refresh()
    {
        if (_pipeline is not { } pipeline)
        {
            return;
        }

        PipelineSnapshot snapshot = pipeline.Snapshot();
        foreach (var source in snapshot.Sources)
        {
            metrics.SourceFrames.WithLabels(source.Id).AdvanceTo(source.Captured);
            metrics.SourceDropped.WithLabels(source.Id).AdvanceTo(source.Dropped);
            metrics.SourceDroppedAtStop.WithLabels(source.Id).AdvanceTo(source.DroppedAtStop);
            metrics.SourceSkipped.WithLabels(source.Id).AdvanceTo(source.Skipped);
            metrics.SourceFailed.WithLabels(source.Id).AdvanceTo(source.Failed);
            metrics.SourceReconnects.WithLabels(source.Id).AdvanceTo(source.Reconnects);
            metrics.SourceFps.WithLabels(source.Id).Set(source.PublishFps);
            metrics.QueueDepth.WithLabels("capture:" + source.Id).Set(source.QueueDepth);
            health.SetFps(source.Id, source.PublishFps);
        }

        foreach (var stage in snapshot.Stages)
        {
            metrics.QueueDepth.WithLabels(stage.Name).Set(stage.QueueDepth);
        }

        monitor.Observe(snapshot.TakenAtUtc, snapshot.Sources, mqtt.Link);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model reloaded: {Model} ({Provider}) from {Path}")]
    private static partial void LogReloaded(ILogger logger, string model, string provider, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model reload from {Path} failed, the running model stays: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The frame pipeline failed")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "ONNX Runtime: {Message}")]
    private static partial void LogRuntime(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "edgeseg is up: model {Model} ({Providers}); sources: {Sources}")]
    private static partial void LogStarted(ILogger logger, string model, string providers, string sources);

    [LoggerMessage(Level = LogLevel.Error, Message = "A source could not be opened and is faulted; the others run on: {Source}")]
    private static partial void LogSourceFaultedAtStart(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: reloading the model from {Path}")]
    private static partial void LogReloadSignal(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIGHUP: {Message}")]
    private static partial void LogReloadSignalFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every source ended (exit-when-done: {ExitWhenDone}); stopping")]
    private static partial void LogAllEnded(ILogger logger, bool exitWhenDone);
}
