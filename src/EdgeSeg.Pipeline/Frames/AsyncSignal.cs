using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Sources;

namespace EdgeSeg.Pipeline.Frames;

/// <summary>
/// An auto-reset signal with one async waiter and an optional timeout, reusable without allocating: the awaiter is
/// this object (an <see cref="IValueTaskSource{TResult}"/>) and the continuation is queued to the thread pool as this
/// object (an <see cref="IThreadPoolWorkItem"/>), the way System.Threading.Channels' own operations avoid allocation.
/// </summary>
/// <remarks>
/// Continuations always run on the thread pool, never inline in <see cref="Set"/>: a capture loop that signals must
/// not end up running the inference stage on its own stack. Execution and synchronization contexts are not captured
/// (the pipeline's loops have none). A timer firing just as a signal arrives can end the next wait early with
/// false; every caller re-checks its condition in a loop, so an early wake-up is harmless. The timer lives as long
/// as the signal (no Dispose: it is collected with its owner).
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The timer lives exactly as long as the signal and is collected with it; pools and pipelines hold signals for their whole life.")]
internal sealed class AsyncSignal : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private Action<object?>? _toRun;
    private object? _toRunState;
    private short _version;
    private bool _signaled;
    private bool _waiting;
    private bool _completed;
    private bool _result;

    public AsyncSignal()
    {
        _timer = new Timer(static s => ((AsyncSignal)s!).Complete(false, fromTimer: true), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Wakes the waiter (true), or remembers the signal for the next wait.</summary>
    public void Set() => Complete(true, fromTimer: false);

    /// <summary>Waits for <see cref="Set"/>; true when signalled, false when <paramref name="timeout"/> passed first.</summary>
    public ValueTask<bool> WaitAsync(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_signaled)
            {
                _signaled = false;
                return new ValueTask<bool>(true);
            }

            if (timeout == TimeSpan.Zero)
            {
                return new ValueTask<bool>(false);
            }

            if (_waiting)
            {
                throw new InvalidOperationException("AsyncSignal supports one waiter at a time.");
            }

            _waiting = true;
            _completed = false;
            _continuation = null;
            _continuationState = null;
            _version++;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            }

            return new ValueTask<bool>(this, _version);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        lock (_gate)
        {
            if (token != _version || !_completed)
            {
                throw new InvalidOperationException("The signal's wait was awaited twice or before it completed.");
            }

            return _result;
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token)
    {
        lock (_gate)
        {
            return token == _version && _completed ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;
        }
    }

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        lock (_gate)
        {
            if (!_completed)
            {
                _continuation = continuation;
                _continuationState = state;
                return;
            }
        }

        // Completed between the status check and here: run it now, still off this stack.
        QueueContinuation(continuation, state);
    }

    void IThreadPoolWorkItem.Execute()
    {
        Action<object?>? run;
        object? state;
        lock (_gate)
        {
            run = _toRun;
            state = _toRunState;
            _toRun = null;
            _toRunState = null;
        }

        run?.Invoke(state);
    }

    private void Complete(bool result, bool fromTimer)
    {
        Action<object?>? continuation;
        object? state;
        lock (_gate)
        {
            if (!_waiting)
            {
                if (!fromTimer)
                {
                    _signaled = true;
                }

                return;
            }

            _waiting = false;
            _completed = true;
            _result = result;
            continuation = _continuation;
            state = _continuationState;
            _continuation = null;
            _continuationState = null;
            if (!fromTimer)
            {
                _timer.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }

        if (continuation is not null)
        {
            QueueContinuation(continuation, state);
        }
    }

    private void QueueContinuation(Action<object?> continuation, object? state)
    {
        lock (_gate)
        {
            _toRun = continuation;
            _toRunState = state;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
