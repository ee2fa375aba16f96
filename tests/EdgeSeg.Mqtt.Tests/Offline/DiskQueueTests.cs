using System.Text;

namespace EdgeSeg.Mqtt.Tests.Offline;

public sealed class DiskQueueTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgeseg-diskqueue-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"record-{i}-" + new string('x', i % 50));

    [Fact]
    public void TryReadNext_AfterAppends_ReturnsRecordsInOrderAcrossSegments()
    {
        using var queue = new DiskQueue(_directory, maxSegmentBytes: 256);
        for (var i = 0; i < 100; i++)
        {
            queue.Append(Record(i));
        }

        Assert.True(Directory.GetFiles(_directory, "*.seg").Length > 5);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryReadNext(out var record, out _));
            Assert.Equal(Record(i), record);
        }

        Assert.False(queue.TryReadNext(out _, out _));
        Assert.Equal(100, queue.Count);
    }

    [Fact]
    public void Open_AfterPartialCommit_RedeliversOnlyUncommittedAndDeletesFinishedSegments()
    {
        using (var queue = new DiskQueue(_directory, maxSegmentBytes: 256))
        {
            for (var i = 0; i < 60; i++)
            {
                queue.Append(Record(i));
            }

            var last = default(DiskQueuePosition);
            for (var i = 0; i < 40; i++)
            {
                queue.TryReadNext(out _, out last);
            }

            queue.Commit(last, 40);
            Assert.Equal(20, queue.Count);
        }

        using var reopened = new DiskQueue(_directory, maxSegmentBytes: 256);
        Assert.Equal(20, reopened.Count);
        for (var i = 40; i < 60; i++)
        {
            Assert.True(reopened.TryReadNext(out var record, out _));
            Assert.Equal(Record(i), record);
        }

        Assert.All(Directory.GetFiles(_directory, "*.seg"), f => Assert.True(long.Parse(Path.GetFileNameWithoutExtension(f)) >= reopened.Committed.Segment));
    }

    [Fact]
    public void Open_TornRecordAtTail_CutsItAndKeepsTheRest()
    {
        using (var queue = new DiskQueue(_directory))
        {
            queue.Append(Record(1));
            queue.Append(Record(2));
        }

        // A crash mid-append: half of a third record.
        var segment = Directory.GetFiles(_directory, "*.seg").Single();
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write([0, 0, 0, 100, 1, 2, 3, 4, 5]);
        }

        using var reopened = new DiskQueue(_directory);
        Assert.Equal(2, reopened.Count);
        reopened.Append(Record(3));
        var got = new List<byte[]>();
        while (reopened.TryReadNext(out var record, out _))
        {
            got.Add(record);
        }

        Assert.Equal([Record(1), Record(2), Record(3)], got);
    }

    [Fact]
    public void Deserialize_SerializedMessage_KeepsEveryField()
    {
        var message = new MqttMessage("a/b", new byte[] { 1, 2, 3 })
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = "application/json",
            MessageExpiryInterval = 9,
            PayloadFormat = MqttPayloadFormat.Utf8,
            ResponseTopic = "r",
            CorrelationData = new byte[] { 7 },
            UserProperties = [new("k", "v")],
        };
        var back = StoredMessage.Deserialize(StoredMessage.Serialize(message));
        Assert.Equal(message.Topic, back.Topic);
        Assert.Equal(message.Payload.ToArray(), back.Payload.ToArray());
        Assert.Equal(message.QualityOfService, back.QualityOfService);
        Assert.True(back.Retain);
        Assert.Equal("application/json", back.ContentType);
        Assert.Equal(9u, back.MessageExpiryInterval);
        Assert.Equal(MqttPayloadFormat.Utf8, back.PayloadFormat);
        Assert.Equal("r", back.ResponseTopic);
        Assert.Equal(new byte[] { 7 }, back.CorrelationData!.Value.ToArray());
        Assert.Equal([new MqttUserProperty("k", "v")], back.UserProperties!);
        Assert.Throws<InvalidDataException>(() => StoredMessage.Deserialize([1, 0, 5]));
    }
}
