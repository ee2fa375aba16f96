using System.Diagnostics;
using System.Threading.Channels;
using EdgeSeg.Pipeline.Diagnostics;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Pipeline.Capture;

/// <summary>
/// One source's capture stage: its supervision loop (open, read, reconnect with backoff), its frame pool and its
/// bounded queue to the inference stage, and its counters.
/// </summary>
internal sealed class SourceRunner
{
    private readonly IFrameSource _source;
    private readonly PipelineOptions _options;
    private readonly ILogger _logger;
    private readonly AsyncSignal _frameQueued;
    private readonly Action<SourceEventArgs> _raise;
    private readonly Action<Frame> _releaseDropped;
    private readonly Random _random = new();
    private readonly int _poolCapacity;
    private FramePool? _pool;
    private volatile SourceState _state = SourceState.Starting;
    private string? _lastError;
    private long _captured;
    private long _dropped;
    private long _failed;
    private long _published;
    private long _droppedAtStop;
    private long _openAttempts;
    private long _reconnects;
    private long _lastGapTicks;
    private long _longestGapTicks;
    private long _lastLatencyTicks;
    private long _maxLatencyTicks;
    private long _lastFrameTimestamp;
    private volatile bool _done;
    private long _skippedSeen;
    private string? _lastFailure;

    public SourceRunner(IFrameSource source, PipelineOptions options, int downstreamFrames, AsyncSignal frameQueued, Action<SourceEventArgs> raise, Action<Frame> releaseDropped, ILogger logger)
    {
        _source = source;
        _options = options;
        _frameQueued = frameQueued;
        _raise = raise;
        _releaseDropped = releaseDropped;
        _logger = logger;
        QueueCapacity = source.IsLive ? options.LiveQueueCapacity : options.FileQueueCapacity;
        // Enough frames for a full queue, everything downstream and the one being captured: the pool only runs dry
        // when a stage holds frames longer than the pipeline's bounds allow.
        _poolCapacity = QueueCapacity + downstreamFrames + 2;
        var channelOptions = new BoundedChannelOptions(QueueCapacity)
        {
            // Live video: drop the oldest queued frame (its buffer goes back to the pool, the drop is counted) so the
            // pipeline always works on the freshest picture and never builds up latency. Files: wait, so no frame of
            // a file is ever skipped; the file is simply read as fast as the slowest stage.
            FullMode = source.IsLive ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = true,
            AllowSynchronousContinuations = false,
        };
        Queue = Channel.CreateBounded<Frame>(channelOptions, OnDropped);
    }

    public IFrameSource Source => _source;

    public Channel<Frame> Queue { get; }

    public int QueueCapacity { get; }

    public CaptureCounters Meter { get; } = new();

    /// <summary>True once the loop has finished and completed its queue.</summary>
    public bool Done => _done;

    public SourceState State => _state;

    public void Published(Frame frame)
    {
        Interlocked.Increment(ref _published);
        Meter.Publish.Tick(Stopwatch.GetTimestamp());
        var latency = Stopwatch.GetTimestamp() - frame.CaptureTimestamp;
        Volatile.Write(ref _lastLatencyTicks, latency);
        if (latency > Volatile.Read(ref _maxLatencyTicks))
        {
            Volatile.Write(ref _maxLatencyTicks, latency);
        }
    }

    /// <summary>Counts a frame of this source that a stage threw on, and keeps why (the last one's stage and message).</summary>
    public void Failed(string stage, Exception exception)
    {
        Volatile.Write(ref _lastFailure, $"{stage}: {exception.GetType().Name}: {exception.Message}");
        Interlocked.Increment(ref _failed);
    }

    /// <summary>Counts a frame of this source released unpublished because a stop passed its drain bound.</summary>
    public void DroppedAtStop() => Interlocked.Increment(ref _droppedAtStop);

    public long DroppedAtStopCount => Interlocked.Read(ref _droppedAtStop);

    public async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _openAttempts);
                try
                {
                    _source.Open();
                }
                catch (FrameSourceException e)
                {
                    if (!_source.IsLive)
                    {
                        SetState(SourceState.Faulted, e.Message);
                        return;
                    }

                    SetState(SourceState.Reconnecting, e.Message);
                    await BackoffAsync(attempt++, stop);
                    continue;
                }

                if (_pool is null || _pool.Width != _source.Width || _pool.Height != _source.Height)
                {
                    // First open, or the stream came back at another size: frames in flight go back to the old pool.
                    _pool = new FramePool(_source.Width, _source.Height, 3, _poolCapacity);
                }

                var resumed = _state == SourceState.Reconnecting && _lastFrameTimestamp != 0;
                var failedAttempts = attempt;
                attempt = 0;
                var reason = await ReadUntilStoppedAsync(_pool, resumed, failedAttempts, stop);
                _source.Close();
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                if (!_source.IsLive)
                {
                    SetState(reason is null ? SourceState.Ended : SourceState.Faulted, reason);
                    return;
                }

                SetState(SourceState.Reconnecting, reason ?? "end of stream");
                await BackoffAsync(attempt++, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: fall through to the clean-up.
        }
        catch (ChannelClosedException)
        {
            // The pipeline was aborted while this loop waited to queue a frame.
        }
        finally
        {
            _source.Close();
            if (_state is not (SourceState.Ended or SourceState.Faulted))
            {
                SetState(SourceState.Stopped, null);
            }

            Queue.Writer.TryComplete();
            _done = true;
            _frameQueued.Set();
        }
    }

    public SourceSnapshot Snapshot() => new(
        _source.Id,
        _source.Uri,
        _source.Kind,
        State,
        Volatile.Read(ref _lastError),
        Interlocked.Read(ref _captured),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _failed),
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _droppedAtStop),
        Queue.Reader.Count,
        QueueCapacity,
        Meter.Capture.PerSecond,
        Meter.Publish.PerSecond,
        StageCounters.ToTime(Volatile.Read(ref _lastLatencyTicks)),
        StageCounters.ToTime(Volatile.Read(ref _maxLatencyTicks)),
        Interlocked.Read(ref _openAttempts),
        Interlocked.Read(ref _reconnects),
        StageCounters.ToTime(Volatile.Read(ref _lastGapTicks)),
        StageCounters.ToTime(Volatile.Read(ref _longestGapTicks)))
    {
        Skipped = _source.Skipped,
        LastFailure = Volatile.Read(ref _lastFailure),
    };

    /// <summary>Reads frames until the source ends or fails (returns why; null for a clean end of a file) or stop.</summary>
    private async Task<string?> ReadUntilStoppedAsync(FramePool pool, bool resumed, int failedAttempts, CancellationToken stop)
    {
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            var frame = pool.TryRent() ?? await pool.RentAsync(stop);
            if (frame is null)
            {
                return null;
            }

            bool got;
            try
            {
                got = _source.TryRead(frame);
            }
            catch (FrameSourceException e)
            {
                frame.Release();
                NoteSkipped();
                return e.Message;
            }

            NoteSkipped();
            if (!got)
            {
                frame.Release();
                return _source.IsLive ? "end of stream or read timeout" : null;
            }

            var now = frame.CaptureTimestamp;
            if (first)
            {
                first = false;
                if (resumed)
                {
                    var gap = now - _lastFrameTimestamp;
                    Interlocked.Increment(ref _reconnects);
                    Volatile.Write(ref _lastGapTicks, gap);
                    if (gap > Volatile.Read(ref _longestGapTicks))
                    {
                        Volatile.Write(ref _longestGapTicks, gap);
                    }

                    Log.SourceResumed(_logger, _source.Id, failedAttempts + 1, StageCounters.ToTime(gap).TotalSeconds);
                }

                SetState(SourceState.Running, null, log: !resumed);
            }

            _lastFrameTimestamp = now;
            Interlocked.Increment(ref _captured);
            Meter.Capture.Tick(now);
            // DropOldest never refuses a write; Wait refuses when full, and the token-less WriteAsync then waits on
            // the channel's reusable writer operation (no allocation) until the inference stage takes a frame.
            if (!Queue.Writer.TryWrite(frame))
            {
                try
                {
                    await Queue.Writer.WriteAsync(frame, CancellationToken.None);
                }
                catch (ChannelClosedException)
                {
                    // Only a stop past its drain bound closes the queue early: this frame was captured, never queued.
                    DroppedAtStop();
                    _releaseDropped(frame);
                    return null;
                }
            }

            _frameQueued.Set();
        }

        return null;
    }

    /// <summary>Logs the frames the source passed over since the last read (each with its reason; the count is in the snapshot).</summary>
    private void NoteSkipped()
    {
        var skipped = _source.Skipped;
        if (skipped != _skippedSeen)
        {
            _skippedSeen = skipped;
            Log.FrameSkipped(_logger, _source.Id, _source.LastSkipReason ?? "unknown", skipped);
        }
    }

    private async Task BackoffAsync(int attempt, CancellationToken stop)
    {
        var delay = _options.Reconnect.Delay(attempt, _random);
        Log.ReconnectScheduled(_logger, _source.Id, attempt + 1, delay.TotalSeconds);
        await Task.Delay(delay, stop);
    }

    private void OnDropped(Frame frame)
    {
        Interlocked.Increment(ref _dropped);
        _releaseDropped(frame);
    }

    private void SetState(SourceState state, string? reason, bool log = true)
    {
        var previous = _state;
        if (reason is not null)
        {
            Volatile.Write(ref _lastError, reason);
        }

        if (previous == state)
        {
            // Another failed attempt in the same state: counted and raised for observers, not logged again.
            _raise(new SourceEventArgs(_source.Id, state, reason, Interlocked.Read(ref _openAttempts), stateChanged: false));
            return;
        }

        _state = state;
        if (log)
        {
            switch (state)
            {
                case SourceState.Running:
                    Log.SourceRunning(_logger, _source.Id, _source.Kind, _source.Uri, _source.Width, _source.Height, _source.Fps);
                    break;
                case SourceState.Reconnecting:
                    Log.SourceLost(_logger, _source.Id, _source.Uri, reason ?? "unknown");
                    break;
                case SourceState.Ended:
                    Log.SourceEnded(_logger, _source.Id, Interlocked.Read(ref _captured));
                    break;
                case SourceState.Faulted:
                    Log.SourceFaulted(_logger, _source.Id, reason ?? "unknown");
                    break;
                case SourceState.Stopped:
                    Log.SourceStopped(_logger, _source.Id);
                    break;
                default:
                    break;
            }
        }

        _raise(new SourceEventArgs(_source.Id, state, reason, Interlocked.Read(ref _openAttempts), stateChanged: true));
    }
}
