using EdgeSeg.Mqtt.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Offline;

/// <summary>
/// The on-disk outbox on a real 256 KB tmpfs that fills up while the broker is away: it refuses with one log line and
/// a counter, recovers by itself once the queue drains, keeps what it stored across a restart, and stops cleanly.
/// </summary>
public sealed class DiskFullTests
{
    private const int DiskBytes = 256 * 1024;

    private static MqttMessage Message(int i) => new("diskfull/metrics", new byte[1000])
    {
        QualityOfService = MqttQualityOfService.AtLeastOnce,
        UserProperties = [new("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
    };

    private static MqttOutboxOptions Outbox(string directory) => new()
    {
        Name = "metrics",
        OfflinePolicy = MqttOfflinePolicy.DiskQueue,
        QueueDirectory = directory,
        MaxQueuedMessages = 100_000,
    };

    // Enqueues until the disk refuses, then 300 more (a frame each, as the service would): returns how many were taken.
    private static int FillDisk(MqttOutbox outbox, ref int next)
    {
        var taken = 0;
        while (outbox.TryEnqueue(Message(next++)))
        {
            taken++;
            Assert.True(taken < 10_000, "a 256 KB disk took 10,000 messages of 1 KB");
        }

        for (var i = 0; i < 300; i++)
        {
            Assert.False(outbox.TryEnqueue(Message(next++)));
        }

        return taken;
    }

    [DiskFullFact]
    public async Task DiskOutbox_DiskFillsWhileBrokerAway_LogsOnceRecoversByItselfAndStopsCleanly()
    {
        await using var tmpfs = await SmallTmpfs.MountAsync(DiskBytes);
        await using var broker = await MosquittoBroker.StartAsync();
        var logger = new ListLogger();
        var client = await TestClients.StartAsync(TestClients.Options(broker), logger: logger);
        var outbox = client.CreateOutbox(Outbox(tmpfs.Path));
        await broker.StopAsync();

        var next = 0;
        var taken = FillDisk(outbox, ref next);
        Assert.True(taken > 50, $"only {taken} messages fitted");
        Assert.False(outbox.IsAccepting);
        Assert.Equal(301, outbox.StoreFailureCount);
        Assert.Contains("No space left on device", outbox.LastStoreError, StringComparison.Ordinal);
        Assert.Single(logger.Lines, l => l.Text.Contains("cannot append to the disk queue", StringComparison.Ordinal));

        // The broker returns: the queue drains, and with it the disk, without waiting for a segment to reach 4 MB.
        await broker.StartAsync();
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(taken, outbox.DeliveredCount);
        for (var i = 0; i < taken; i++)
        {
            Assert.True(outbox.TryEnqueue(Message(next++)), $"message {i} after the drain was refused: {outbox.LastStoreError}");
        }

        Assert.True(outbox.IsAccepting);
        await logger.WaitForLineAsync(l => l.Contains("accepts messages again, after refusing 301", StringComparison.Ordinal));
        await outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2 * taken, outbox.DeliveredCount);

        // Full again, then a stop: nothing buffered is left to fail at dispose.
        await broker.StopAsync();
        FillDisk(outbox, ref next);
        await client.DisposeAsync();
    }

    [DiskFullFact]
    public async Task DiskOutbox_RestartedOnAFullDisk_DeliversWhatItStoredAndAcceptsAgain()
    {
        await using var tmpfs = await SmallTmpfs.MountAsync(DiskBytes);
        await using var broker = await MosquittoBroker.StartAsync();
        var options = TestClients.Options(broker, clientId: "diskfull-restart");
        await broker.StopAsync();
        int taken;
        var next = 0;
        await using (var first = new MqttClient(options))
        {
            await first.StartAsync();
            taken = FillDisk(first.CreateOutbox(Outbox(tmpfs.Path)), ref next);
        }

        await broker.StartAsync();
        await using var second = new MqttClient(options);
        var recovered = second.CreateOutbox(Outbox(tmpfs.Path));
        Assert.Equal(taken, recovered.QueueDepth);
        await second.StartAsync();
        await recovered.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(taken, recovered.DeliveredCount);
        Assert.True(recovered.TryEnqueue(Message(next++)), recovered.LastStoreError);
        await recovered.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(taken + 1, recovered.DeliveredCount);
    }
}
