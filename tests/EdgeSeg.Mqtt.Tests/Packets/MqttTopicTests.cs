namespace EdgeSeg.Mqtt.Tests.Packets;

public sealed class MqttTopicTests
{
    [Theory]
    [InlineData("edgeseg/v1/+/+/mask", "edgeseg/v1/box/cam0/mask", true)]
    [InlineData("edgeseg/v1/#", "edgeseg/v1/box/status", true)]
    [InlineData("edgeseg/v1/#", "edgeseg/v1", true)]
    [InlineData("edgeseg/+/status", "edgeseg/v1/box/status", false)]
    [InlineData("$share/g/edgeseg/+/x", "edgeseg/a/x", true)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    public void Matches_FilterAndTopic_FollowsSection47(string filter, string topic, bool expected) =>
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a/b#")]
    [InlineData("a+/b")]
    [InlineData("$share/g")]
    [InlineData("")]
    public void ValidateTopicFilter_Invalid_Throws(string filter) =>
        Assert.Throws<ArgumentException>(() => MqttTopic.ValidateTopicFilter(filter, nameof(filter)));

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("")]
    public void ValidateTopicName_WildcardOrEmpty_Throws(string topic) =>
        Assert.Throws<ArgumentException>(() => MqttTopic.ValidateTopicName(topic, nameof(topic)));
}
