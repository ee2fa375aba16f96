using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeSeg.Service.Publishing;

/// <summary>
/// Runs the commands that take time (<c>snapshot</c>, <c>reload-model</c>) one at a time, in arrival order, off the
/// MQTT client's threads: a bounded queue of <see cref="Capacity"/> and a timeout per command. A command that arrives
/// to a full queue is refused at once ("busy"), so every command gets exactly one answer, and nothing a command does
/// (block in open(2) on a FIFO, build a TensorRT engine for minutes) can hold the connection.
/// </summary>
/// <remarks>
/// A command that passes its timeout is answered "did not finish" and told to stop through its token; the queue moves
/// on without it. If it finishes later, its outcome is logged. Dispose once; queued commands not yet started are
/// answered "the service is stopping".
/// </remarks>
internal sealed partial class CommandQueue : IAsyncDisposable
{
    /// <summary>Commands that may wait (the one running not counted) before new ones are answered "busy".</summary>
    public const int Capacity = 16;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<(ServiceCommand Command, string Name, Action<CommandResult> Reply)> _queue =
        Channel.CreateBounded<(ServiceCommand, string, Action<CommandResult>)>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    private readonly Func<ServiceCommand, CancellationToken, Task<CommandResult>> _execute;
    private readonly Func<ServiceCommand, TimeSpan> _timeoutOf;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private int _disposed;

    /// <param name="execute">Carries out a command; should observe its token. Exceptions become failed results.</param>
    /// <param name="timeoutOf">How long a command may run.</param>
    /// <param name="logger">Where timeouts and late outcomes are logged.</param>
    public CommandQueue(Func<ServiceCommand, CancellationToken, Task<CommandResult>> execute, Func<ServiceCommand, TimeSpan> timeoutOf, ILogger logger)
    {
        _execute = execute;
        _timeoutOf = timeoutOf;
        _logger = logger;
        _worker = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Commands waiting to run now.</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>
    /// Queues <paramref name="command"/>; <paramref name="reply"/> is called once with its outcome (from the queue's
    /// thread). Returns false, calling nothing, when the queue is full or stopping: answer "busy" then.
    /// </summary>
    public bool TryEnqueue(ServiceCommand command, string name, Action<CommandResult> reply) => _queue.Writer.TryWrite((command, name, reply));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _worker.WaitAsync(StopTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            LogStillRunning(_logger, StopTimeout.TotalSeconds);
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Reply(new CommandResult(false, "the service is stopping"));
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                if (!_queue.Reader.TryRead(out var item))
                {
                    continue;
                }

                var (command, name, reply) = item;
                reply(await RunOneAsync(command, name));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: DisposeAsync answers what is left.
        }
    }

    private async Task<CommandResult> RunOneAsync(ServiceCommand command, string name)
    {
        var timeout = _timeoutOf(command);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(timeout);

        // Task.Run: a command that blocks the thread that calls it (opening a FIFO does, before any await) must not
        // hold the queue past its timeout.
        var run = Task.Run(() => _execute(command, deadline.Token), CancellationToken.None);
        try
        {
            return await run.WaitAsync(timeout, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return new CommandResult(false, "the service stopped before the command finished");
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && deadline.IsCancellationRequested && !_stop.IsCancellationRequested))
        {
            LogTimedOut(_logger, name, timeout.TotalSeconds);
            _ = run.ContinueWith(
                t => LogLateOutcome(_logger, name, t.IsCompletedSuccessfully ? (t.Result.Ok ? "ok: " : "failed: ") + t.Result.Message : t.IsCanceled ? "cancelled" : t.Exception!.GetBaseException().Message),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new CommandResult(false, $"did not finish within {timeout.TotalSeconds:0.###} s; it was told to stop (the log says if it completes later)");
        }
    }

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "MQTT command {Command} did not finish within {Seconds:0.###} s; answered as failed")]
    private static partial void LogTimedOut(ILogger logger, string command, double seconds);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "MQTT command {Command} finished after its timeout: {Outcome}")]
    private static partial void LogLateOutcome(ILogger logger, string command, string outcome);

    [LoggerMessage(EventId = 64, Level = LogLevel.Warning, Message = "MQTT: a command was still running {Seconds} s after the stop; leaving it behind")]
    private static partial void LogStillRunning(ILogger logger, double seconds);
}
