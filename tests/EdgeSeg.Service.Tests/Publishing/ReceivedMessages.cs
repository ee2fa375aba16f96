using EdgeSeg.Mqtt;

namespace EdgeSeg.Service.Tests.Publishing;

/// <summary>Collects what a subscriber receives; tests wait on conditions with a timeout.</summary>
internal sealed class ReceivedMessages
{
    private readonly Lock _gate = new();
    private readonly List<MqttMessage> _messages = [];
    private readonly List<(Func<IReadOnlyList<MqttMessage>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public Task Handle(MqttMessage message, CancellationToken cancellationToken)
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
    }

    public IReadOnlyList<MqttMessage> On(string topic)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Topic == topic)];
        }
    }

    public async Task<MqttMessage> WaitForAsync(string topic, Func<MqttMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Condition(IReadOnlyList<MqttMessage> ms) => ms.Any(m => m.Topic == topic && (match is null || match(m)));
        lock (_gate)
        {
            if (!Condition(_messages))
            {
                _waiters.Add((Condition, done));
            }
            else
            {
                done.TrySetResult();
            }
        }

        await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        return On(topic).Last(m => match is null || match(m));
    }
}
