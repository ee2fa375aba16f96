namespace EdgeSeg.Mqtt;

/// <summary>Configuration of one <see cref="MqttOutbox"/>.</summary>
public sealed class MqttOutboxOptions
{
    /// <summary>Name used in logs and as the queue's folder name: letters, digits, '-', '_' and '.'.</summary>
    public required string Name { get; init; }

    /// <summary>Offline behaviour.</summary>
    public MqttOfflinePolicy OfflinePolicy { get; init; } = MqttOfflinePolicy.LatestPerTopic;

    /// <summary>For <see cref="MqttOfflinePolicy.DiskQueue"/>: the folder holding one sub-folder per stream.</summary>
    public string? QueueDirectory { get; init; }

    /// <summary>For <see cref="MqttOfflinePolicy.DiskQueue"/>: the most messages kept (queued plus unacknowledged).</summary>
    public int MaxQueuedMessages { get; init; } = 100_000;

    /// <summary>For <see cref="MqttOfflinePolicy.DiskQueue"/>: the most unacknowledged QoS 1 publishes from this stream.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>For <see cref="MqttOfflinePolicy.DiskQueue"/>: flush every append and acknowledgement to the device (fsync), not just to the OS.</summary>
    public bool Durable { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || Name.StartsWith('.'))
        {
            throw new ArgumentException($"Stream name '{Name}' must be letters, digits, '-', '_' or '.', not starting with '.'.", nameof(Name));
        }

        if (OfflinePolicy == MqttOfflinePolicy.DiskQueue && string.IsNullOrWhiteSpace(QueueDirectory))
        {
            throw new ArgumentException($"Stream '{Name}' uses a disk queue but has no QueueDirectory.", nameof(QueueDirectory));
        }

        if (MaxQueuedMessages < 1 || MaxInFlight < 1)
        {
            throw new ArgumentException($"Stream '{Name}': MaxQueuedMessages and MaxInFlight must be at least 1.", nameof(MaxQueuedMessages));
        }
    }
}
