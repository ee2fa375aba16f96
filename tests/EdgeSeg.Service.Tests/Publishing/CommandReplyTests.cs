using System.Text.Json;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Publishing;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Publishing;

/// <summary>
/// A command's response topic is the requester's to choose, but never one of the device's own topics: a reply may
/// go under the device's prefix only as <c>cmd/{name}/reply</c>. Anything else is refused (the command does not run)
/// and the refusal goes to the command's default reply topic.
/// </summary>
public sealed class CommandReplyTests
{
    [MosquittoTheory]
    [InlineData("edgeseg/v1/box1/cam0/metrics")]
    [InlineData("edgeseg/v1/box1/cam0/mask")]
    [InlineData("edgeseg/v1/box1/status")]
    [InlineData("edgeseg/v1/box1/classes")]
    [InlineData("edgeseg/v1/box1/cmd/snapshot")]
    [InlineData("edgeseg/v1/box1/cmd/set-rate")]
    [InlineData("edgeseg/v1/box1/cmd/snapshot/reply/deeper")]
    [InlineData("edgeseg/v1/box1")]
    public async Task Command_ResponseTopicIsOneOfTheDevicesOwnTopics_IsRefusedOnTheDefaultReplyTopicAndNotRun(string responseTopic)
    {
        var snapshots = 0;
        await using var f = await PublisherFixture.StartAsync(configure: p => p.SnapshotRequested = (_, _) =>
        {
            Interlocked.Increment(ref snapshots);
            return Task.FromResult(new CommandResult(true, "taken"));
        });
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");
        var before = RepliesOn(f, responseTopic);

        await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/snapshot", "{\"id\":\"hijack\"}"u8.ToArray())
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ResponseTopic = responseTopic,
        });
        var reply = await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/snapshot/reply");
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("hijack", json.RootElement.GetProperty("id").GetString());
        Assert.Contains($"response topic '{responseTopic}'", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, RepliesOn(f, responseTopic));
        Assert.Equal(0, Volatile.Read(ref snapshots));
    }

    // Messages on the topic that are command replies (the command itself may travel on it too).
    private static int RepliesOn(PublisherFixture f, string topic) => f.Received.On(topic).Count(m =>
    {
        try
        {
            using var json = JsonDocument.Parse(m.Payload);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("ok", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    });

    [MosquittoTheory]
    [InlineData("edgeseg/v1/box1/cmd/set-rate/reply")]
    [InlineData("edgeseg/v1/consumers/me")]
    [InlineData("edgeseg/v1/box10/status")]
    public async Task Command_ResponseTopicOutsideTheDeviceOrAReplyTopic_GetsTheReply(string responseTopic)
    {
        await using var f = await PublisherFixture.StartAsync(configure: p => p.SnapshotRequested = (_, _) => Task.FromResult(new CommandResult(true, "taken")));
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");

        await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/snapshot", "{\"id\":\"mine\"}"u8.ToArray())
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ResponseTopic = responseTopic,
        });
        var reply = await f.Received.WaitForAsync(responseTopic);
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("mine", json.RootElement.GetProperty("id").GetString());
    }
}
