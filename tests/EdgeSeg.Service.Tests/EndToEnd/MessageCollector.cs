using System.Collections.Concurrent;
using EdgeSeg.Mqtt;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>Collects received messages and lets a test wait (with a timeout) until a condition over them holds.</summary>
internal sealed class MessageCollector
{
    private readonly ConcurrentQueue<MqttMessage> _messages = new();
    private readonly Lock _gate = new();
    private (Func<IReadOnlyList<MqttMessage>, bool> Condition, TaskCompletionSource Done)? _waiter;

    public IReadOnlyList<MqttMessage> Messages => [.. _messages];

    public IReadOnlyList<MqttMessage> On(string topic) => [.. _messages.Where(m => m.Topic == topic)];

    public Task OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        Check();
        return Task.CompletedTask;
    }

    public async Task WaitForAsync(Func<IReadOnlyList<MqttMessage>, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiter = (condition, done);
        }

        Check();
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The condition did not hold within {timeout}; received {_messages.Count} messages: "
                + string.Join(", ", _messages.GroupBy(m => m.Topic).Select(g => $"{g.Key} x{g.Count()}")));
        }
    }

    private void Check()
    {
        lock (_gate)
        {
            if (_waiter is { } waiter && waiter.Condition(Messages))
            {
                waiter.Done.TrySetResult();
                _waiter = null;
            }
        }
    }
}
