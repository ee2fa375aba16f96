
namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>Collects received messages and lets a test wait (with a timeout) until a condition over them holds.</summary>
internal sealed class MessageCollector
{
    private readonly Lock _gate = new();
    private readonly List<MqttMessage> _messages = [];
    private readonly List<(Func<IReadOnlyList<MqttMessage>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public Func<MqttMessage, CancellationToken, Task> Handler => (message, _) =>
    {
        lock (_gate)
        {
            _messages.Add(message);
            foreach (var waiter in _waiters.Where(w => w.Condition(_messages)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return Task.CompletedTask;
    };

    public IReadOnlyList<MqttMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<MqttMessage> On(string topic) => [.. Messages.Where(m => m.Topic == topic)];

    public Task WaitForAsync(Func<IReadOnlyList<MqttMessage>, bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_messages))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
    }

    public Task WaitForCountAsync(string topic, int count, TimeSpan? timeout = null) =>
        WaitForAsync(ms => ms.Count(m => m.Topic == topic) >= count, timeout);
}
