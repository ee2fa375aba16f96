using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeSeg.Pipeline.Capture;
using EdgeSeg.Pipeline.Diagnostics;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSeg.Pipeline;

/// <summary>
/// The frame pipeline: capture (one supervised loop per source) -> inference (batched across sources) ->
/// post-processing and metrics -> publishing, joined by bounded channels. Frames leave in capture order per source.
/// After warm-up the frame path allocates nothing per frame (pooled frames, reusable channel operations).
/// </summary>
/// <remarks>
/// Lifetime: <see cref="Start"/> once, then <see cref="StopAsync"/> (or dispose). The pipeline owns the sources it is
/// given and disposes them; processors, analyzers and sinks stay the caller's.
/// </remarks>
public sealed class FramePipeline : IAsyncDisposable
{
    private readonly SourceRunner[] _runners;
    private readonly IFrameProcessor _processor;
    private readonly IFrameAnalyzer[] _analyzers;
    private readonly IFrameSink[] _sinks;
    private readonly PipelineOptions _options;
    private readonly ILogger _logger;
    private readonly AsyncSignal _frameQueued = new();
    private readonly Channel<Frame> _analysisQueue;
    private readonly Channel<Frame> _publishQueue;
    private readonly StageCounters _inference = new("inference");
    private readonly StageCounters _analysis = new("analysis");
    private readonly StageCounters _publish = new("publish");
    private readonly CancellationTokenSource _stopCapture = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _lifecycle = new();
    private Task? _completion;
    private Task? _stopping;

    /// <summary>Builds the pipeline (nothing runs until <see cref="Start"/>).</summary>
    /// <param name="sources">The sources; the pipeline owns and disposes them. Ids must be unique.</param>
    /// <param name="processor">The inference stage; null passes frames through.</param>
    /// <param name="analyzers">Post-processing stages run in order on each frame.</param>
    /// <param name="sinks">Publishing stages run in order on each frame.</param>
    /// <param name="options">Queue bounds, batching, drain and reconnect settings.</param>
    /// <param name="logger">Where source state changes and stage failures are logged.</param>
    public FramePipeline(
        IEnumerable<IFrameSource> sources,
        IFrameProcessor? processor = null,
        IEnumerable<IFrameAnalyzer>? analyzers = null,
        IEnumerable<IFrameSink>? sinks = null,
        PipelineOptions? options = null,
        ILogger<FramePipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _options = options ?? new PipelineOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.LiveQueueCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.FileQueueCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.StageQueueCapacity);
        // Checked here so that StopAsync, which waits this long, cannot fail on it.
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.DrainTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.DrainTimeout, TimeSpan.FromDays(1));
        _processor = processor ?? PassThroughProcessor.Instance;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_processor.MaxBatchSize, nameof(processor));
        _analyzers = analyzers?.ToArray() ?? [];
        _sinks = sinks?.ToArray() ?? [];
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var list = sources.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A pipeline needs at least one source.", nameof(sources));
        }

        var duplicate = list.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Source id '{duplicate.Key}' is used twice.", nameof(sources));
        }

        // Between the stages: wait. A frame that reached inference has been paid for; back-pressure flows up to the
        // capture queues, where each source's own full mode decides (live: drop oldest; file: wait).
        var stage = new BoundedChannelOptions(_options.StageQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        };
        _analysisQueue = Channel.CreateBounded<Frame>(stage);
        _publishQueue = Channel.CreateBounded<Frame>(stage);
        // In flight downstream of a capture queue, at most: one batch, two stage queues, one frame in each later stage.
        var downstream = _processor.MaxBatchSize + (2 * _options.StageQueueCapacity) + 2;
        _runners = list.Select(s => new SourceRunner(s, _options, downstream, _frameQueued, RaiseSourceEvent, ReleaseFrame, _logger)).ToArray();
    }

    /// <summary>Raised on every source state change and on every failed reconnect attempt (on the capture loop's thread; keep handlers short).</summary>
    public event EventHandler<SourceEventArgs>? SourceEvent;

    /// <summary>
    /// Completes when every stage has finished: after <see cref="StopAsync"/>, or when all sources are files that ended.
    /// The cancellation that <see cref="StopAsync"/> applies after the drain bound does not fault it; a stage loop that
    /// crashed (a bug, not a stage that threw on a frame: those are counted as failed) does.
    /// </summary>
    public Task Completion => _completion ?? throw new InvalidOperationException("The pipeline has not been started.");

    /// <summary>The sources, in the order given.</summary>
    public IReadOnlyList<IFrameSource> Sources => _runners.Select(r => r.Source).ToArray();

    /// <summary>Per-source and per-stage counters now (allocates the snapshot; call it from the metrics endpoint, not per frame).</summary>
    public PipelineSnapshot Snapshot()
    {
        var sources = _runners.Select(r => r.Snapshot()).ToArray();
        var captureDepth = _runners.Sum(r => r.Queue.Reader.Count);
        var captureCapacity = _runners.Sum(r => r.QueueCapacity);
        var capture = new StageSnapshot("capture", sources.Sum(s => s.Captured), sources.Sum(s => s.Captured), 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, captureDepth, captureCapacity);
        StageSnapshot[] stages =
        [
            capture,
            _inference.Snapshot(captureDepth, captureCapacity),
            _analysis.Snapshot(_analysisQueue.Reader.Count, _options.StageQueueCapacity),
            _publish.Snapshot(_publishQueue.Reader.Count, _options.StageQueueCapacity),
        ];
        return new PipelineSnapshot(DateTime.UtcNow, sources, stages);
    }

    /// <summary>Starts every stage. Sources are opened by their capture loops (a source that cannot open does not stop the others).</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            if (_completion is not null)
            {
                throw new InvalidOperationException("The pipeline has already been started.");
            }

            var stop = _stopCapture.Token;
            // Capture loops block in native reads and opens; each starts on the thread pool and leaves its caller at once.
            var captures = _runners.Select(r => Task.Run(() => r.RunAsync(stop), CancellationToken.None)).ToArray();
            var inference = Task.Run(InferenceLoopAsync, CancellationToken.None);
            var analysis = Task.Run(AnalysisLoopAsync, CancellationToken.None);
            var publish = Task.Run(PublishLoopAsync, CancellationToken.None);
            _completion = ObserveAsync(Task.WhenAll([.. captures, inference, analysis, publish]));
        }
    }

    /// <summary>
    /// Stops capturing, lets the frames in flight drain through every stage for at most
    /// <see cref="PipelineOptions.DrainTimeout"/>, then cancels what is left and releases its frames. A capture loop
    /// inside a blocking native read finishes that read first (bounded by the source's read timeout).
    /// </summary>
    /// <remarks>
    /// When the returned task completes, every stage loop has finished and every frame the pipeline rented is back in
    /// its pool, released exactly once; the frames that were not published because of the abort are counted in
    /// <see cref="SourceSnapshot.DroppedAtStop"/>. A stage that ignores its cancellation token holds the stop until it
    /// returns (it still has a frame; its pool cannot be whole before). Never throws: a crashed stage loop is logged
    /// here and reported by <see cref="Completion"/>. Idempotent: later calls return the same task.
    /// </remarks>
    public Task StopAsync()
    {
        lock (_lifecycle)
        {
            return _stopping ??= StopCoreAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_completion is not null)
        {
            await StopAsync();
        }

        foreach (var runner in _runners)
        {
            runner.Source.Dispose();
        }

        _stopCapture.Dispose();
        _abort.Dispose();
    }

    private async Task StopCoreAsync()
    {
        var completion = _completion;
        await _stopCapture.CancelAsync();
        _frameQueued.Set();
        if (completion is null)
        {
            return;
        }

        var drained = await FinishesWithinAsync(completion, _options.DrainTimeout);
        if (!drained)
        {
            Log.DrainTimedOut(_logger, _options.DrainTimeout.TotalSeconds);
            // Every loop checks the abort before handing a frame to a stage and releases (and counts) what a cancelled
            // stage leaves it. Completing the queues wakes the loops waiting for room in one: each gets a
            // ChannelClosedException and releases the frame it was writing. Frames left inside a queue are released
            // below, once nothing can write into it any more.
            await _abort.CancelAsync();
            foreach (var runner in _runners)
            {
                runner.Queue.Writer.TryComplete();
            }

            _analysisQueue.Writer.TryComplete();
            _publishQueue.Writer.TryComplete();
            _frameQueued.Set();
            if (!await FinishesWithinAsync(completion, _options.DrainTimeout))
            {
                Log.StageIgnoresAbort(_logger, _options.DrainTimeout.TotalSeconds);
            }
        }

        try
        {
            // A stage still holding a frame must give it back before its pool can be whole: wait for every loop.
            await completion;
        }
        catch (Exception e)
        {
            // A crashed loop is a bug; Completion reports it to its observers. Stopping still releases what it can reach.
            Log.PipelineCrashed(_logger, e);
        }

        // Every loop has finished, so nothing writes into the queues now: what is left in them goes back to its pool.
        foreach (var channel in _runners.Select(r => r.Queue).Append(_analysisQueue).Append(_publishQueue))
        {
            while (channel.Reader.TryRead(out var frame))
            {
                ReleaseAtStop(frame);
            }
        }

        if (!drained)
        {
            // Said once here: after a stop the metrics endpoint is rarely scraped again.
            Log.StoppedWithDrops(_logger, _runners.Sum(r => r.DroppedAtStopCount));
        }
    }

    /// <summary>True when <paramref name="task"/> completes (in any state) within <paramref name="bound"/>.</summary>
    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan bound)
    {
        using var timer = new CancellationTokenSource();
        var first = await Task.WhenAny(task, Task.Delay(bound, timer.Token));
        await timer.CancelAsync();
        return first == task;
    }

    /// <summary>The stages' completion, with the cancellations that an abort after the drain bound causes on purpose absorbed.</summary>
    private async Task ObserveAsync(Task stages)
    {
        try
        {
            await stages;
        }
        catch (Exception e) when (_abort.IsCancellationRequested && e is OperationCanceledException or ChannelClosedException)
        {
            // Cancelled on purpose after the drain bound, or a stage was writing into a queue the abort closed.
        }
    }

    private async Task InferenceLoopAsync()
    {
        var batch = new Frame[_processor.MaxBatchSize];
        var next = 0;
        var abort = _abort.Token;
        try
        {
            while (true)
            {
                if (abort.IsCancellationRequested)
                {
                    // Past the drain bound: what is still in the capture queues is released and counted by StopAsync.
                    break;
                }

                var count = Collect(batch, 0, ref next);
                if (count == 0)
                {
                    if (AllCaptureDone())
                    {
                        break;
                    }

                    await _frameQueued.WaitAsync(Timeout.InfiniteTimeSpan);
                    continue;
                }

                if (count < batch.Length)
                {
                    count = await FillBatchAsync(batch, count, next);
                }

                if (abort.IsCancellationRequested)
                {
                    // The abort came while the batch was filling: do not run the model for frames nobody will publish.
                    ReleaseAtStop(batch, 0, count);
                    break;
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    await _processor.ProcessAsync(batch.AsMemory(0, count), abort);
                    _inference.Record(count, start);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    // The abort cancelled the batch in the processor's hands: the frames are the loop's to give back.
                    ReleaseAtStop(batch, 0, count);
                    break;
                }
                catch (Exception e)
                {
                    _inference.Error();
                    Log.StageFailed(_logger, e, "inference", batch[0].SourceId);
                    for (var i = 0; i < count; i++)
                    {
                        RunnerOf(batch[i]).Failed("inference", e);
                        ReleaseFrame(batch[i]);
                        batch[i] = null!;
                    }

                    continue;
                }

                for (var i = 0; i < count; i++)
                {
                    var frame = batch[i];
                    batch[i] = null!;
                    if (!_analysisQueue.Writer.TryWrite(frame))
                    {
                        try
                        {
                            await _analysisQueue.Writer.WriteAsync(frame, CancellationToken.None);
                        }
                        catch (ChannelClosedException)
                        {
                            // Only the abort closes the queue while this loop runs: this frame and the rest of the
                            // batch stop here, and the next turn of the loop sees the abort.
                            ReleaseAtStop(frame);
                            ReleaseAtStop(batch, i + 1, count);
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            _analysisQueue.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Waits up to the batch timeout for more frames to fill a partial batch, and only while a source with no frame in
    /// the batch is open and still capturing: a source's own next frame is never waited for (a single source is never
    /// slowed down; it batches only frames already queued).
    /// </summary>
    /// <remarks>Called per batch: the pooling builder reuses its state machine instead of allocating one per call.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillBatchAsync(Frame[] batch, int count, int next)
    {
        var timeout = BatchTimeout();
        if (timeout <= TimeSpan.Zero)
        {
            return count;
        }

        var start = Stopwatch.GetTimestamp();
        while (count < batch.Length && AnotherSourceMayJoin(batch, count))
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await _frameQueued.WaitAsync(remaining);
            count = Collect(batch, count, ref next);
        }

        return count;
    }

    /// <summary>True while some source that has no frame in batch[..count] is open and not done.</summary>
    private bool AnotherSourceMayJoin(Frame[] batch, int count)
    {
        foreach (var runner in _runners)
        {
            if (runner.Done || !runner.Source.IsOpen)
            {
                continue;
            }

            var id = runner.Source.Id;
            var present = false;
            for (var i = 0; i < count && !present; i++)
            {
                present = ReferenceEquals(batch[i].SourceId, id) || batch[i].SourceId == id;
            }

            if (!present)
            {
                return true;
            }
        }

        return false;
    }

    private TimeSpan BatchTimeout()
    {
        if (_options.BatchTimeout is { } configured)
        {
            return configured;
        }

        var fastest = 0.0;
        foreach (var runner in _runners)
        {
            fastest = Math.Max(fastest, runner.Source.IsOpen ? runner.Source.Fps : 0);
        }

        // Half a frame interval of the fastest source: a batch never delays a frame by more than that, and at equal
        // rates the other sources' frames arrive within it.
        var half = fastest > 0 ? 0.5 / fastest : 0.02;
        return TimeSpan.FromSeconds(Math.Clamp(half, 0.001, 0.05));
    }

    /// <summary>Takes queued frames round-robin across sources (one per source per round) into batch[count..].</summary>
    private int Collect(Frame[] batch, int count, ref int next)
    {
        var sources = _runners.Length;
        var progress = true;
        while (count < batch.Length && progress)
        {
            progress = false;
            for (var k = 0; k < sources && count < batch.Length; k++)
            {
                var runner = _runners[(next + k) % sources];
                if (runner.Queue.Reader.TryRead(out var frame))
                {
                    batch[count++] = frame;
                    progress = true;
                }
            }
        }

        next = (next + 1) % sources;
        return count;
    }

    private bool AllCaptureDone()
    {
        foreach (var runner in _runners)
        {
            if (!runner.Done || runner.Queue.Reader.Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    private async Task AnalysisLoopAsync()
    {
        var abort = _abort.Token;
        var reader = _analysisQueue.Reader;
        try
        {
            // Token-less waits and writes use the channels' reusable operations: no allocation per frame.
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out var frame))
                {
                    if (abort.IsCancellationRequested)
                    {
                        // Past the drain bound: empty the queue instead of calling analyzers with a cancelled token.
                        ReleaseAtStop(frame);
                        continue;
                    }

                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        // What inference left to do (post-processing) first, while the model runs on the next frame.
                        _processor.Complete(frame);
                        for (var i = 0; i < _analyzers.Length; i++)
                        {
                            await _analyzers[i].AnalyzeAsync(frame, abort);
                        }

                        _analysis.Record(1, start);
                    }
                    catch (OperationCanceledException) when (abort.IsCancellationRequested)
                    {
                        ReleaseAtStop(frame);
                        continue;
                    }
                    catch (Exception e)
                    {
                        _analysis.Error();
                        Log.StageFailed(_logger, e, "analysis", frame.SourceId);
                        RunnerOf(frame).Failed("analysis", e);
                        ReleaseFrame(frame);
                        continue;
                    }

                    if (!_publishQueue.Writer.TryWrite(frame))
                    {
                        try
                        {
                            await _publishQueue.Writer.WriteAsync(frame, CancellationToken.None);
                        }
                        catch (ChannelClosedException)
                        {
                            // Only the abort closes the queue while this loop runs.
                            ReleaseAtStop(frame);
                        }
                    }
                }
            }
        }
        finally
        {
            _publishQueue.Writer.TryComplete();
        }
    }

    private async Task PublishLoopAsync()
    {
        var abort = _abort.Token;
        var reader = _publishQueue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var frame))
            {
                var runner = RunnerOf(frame);
                if (abort.IsCancellationRequested)
                {
                    // Past the drain bound: empty the queue instead of calling sinks with a cancelled token.
                    runner.DroppedAtStop();
                    ReleaseFrame(frame);
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    for (var i = 0; i < _sinks.Length; i++)
                    {
                        await _sinks[i].PublishAsync(frame, abort);
                    }

                    _publish.Record(1, start);
                    runner.Published(frame);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    runner.DroppedAtStop();
                }
                catch (Exception e)
                {
                    _publish.Error();
                    Log.StageFailed(_logger, e, "publish", frame.SourceId);
                    runner.Failed("publish", e);
                }
                finally
                {
                    ReleaseFrame(frame);
                }
            }
        }
    }

    private SourceRunner RunnerOf(Frame frame)
    {
        // A handful of sources: a linear scan by reference is cheaper than hashing the id.
        foreach (var runner in _runners)
        {
            if (ReferenceEquals(runner.Source.Id, frame.SourceId) || runner.Source.Id == frame.SourceId)
            {
                return runner;
            }
        }

        throw new InvalidOperationException($"Frame from unknown source '{frame.SourceId}'.");
    }

    private void ReleaseFrame(Frame frame)
    {
        try
        {
            _processor.OnFrameReleased(frame);
            for (var i = 0; i < _analyzers.Length; i++)
            {
                _analyzers[i].OnFrameReleased(frame);
            }
        }
        catch (Exception e)
        {
            // A stage's hook failing must neither lose the pixels (a pool short of frames stalls its source for good)
            // nor kill the loop that is releasing.
            Log.ReleaseHookFailed(_logger, e, frame.SourceId);
        }

        frame.Release();
    }

    /// <summary>Releases a frame that a stop past its drain bound kept from being published, and counts it.</summary>
    private void ReleaseAtStop(Frame frame)
    {
        RunnerOf(frame).DroppedAtStop();
        ReleaseFrame(frame);
    }

    /// <summary>Releases batch[from..count) as <see cref="ReleaseAtStop(Frame)"/> does and clears the slots.</summary>
    private void ReleaseAtStop(Frame[] batch, int from, int count)
    {
        for (var i = from; i < count; i++)
        {
            ReleaseAtStop(batch[i]);
            batch[i] = null!;
        }
    }

    private void RaiseSourceEvent(SourceEventArgs args) => SourceEvent?.Invoke(this, args);
}
