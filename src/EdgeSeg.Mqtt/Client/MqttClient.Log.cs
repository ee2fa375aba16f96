using Microsoft.Extensions.Logging;

namespace EdgeSeg.Mqtt;

/// <content>Log messages, generated at compile time.</content>
public sealed partial class MqttClient
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "MQTT connected to {Endpoint} (MQTT {Version}, session present: {SessionPresent})")]
    private partial void LogConnected(MqttEndpoint endpoint, string version, bool sessionPresent);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "MQTT connect to {Endpoint} failed: {Reason}")]
    private partial void LogConnectFailed(MqttEndpoint endpoint, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "MQTT: every endpoint failed; retrying in {Seconds:0.0} s")]
    private partial void LogBackoff(double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} closed: {Reason}")]
    private partial void LogConnectionClosed(MqttEndpoint endpoint, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "MQTT connection to {Endpoint} closed by the client's stop")]
    private partial void LogConnectionClosedOnStop(MqttEndpoint endpoint);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "MQTT protocol violation by {Endpoint}: {Detail}; closing the connection")]
    private partial void LogProtocolViolation(MqttEndpoint endpoint, string detail);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} is silent: no PINGRESP within {Seconds:0.###} s; replacing it")]
    private partial void LogSilent(MqttEndpoint endpoint, double seconds);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "MQTT broker {Endpoint} sent DISCONNECT {Reason}{Detail}")]
    private partial void LogServerDisconnect(MqttEndpoint endpoint, MqttReasonCode reason, string detail);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "MQTT resending {Count} unacknowledged publishes to {Endpoint} (session present: {SessionPresent})")]
    private partial void LogResending(int count, MqttEndpoint endpoint, bool sessionPresent);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "MQTT {Callback} callback failed")]
    private partial void LogCallbackFailed(string callback, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "MQTT connection to {Endpoint} failed unexpectedly; closing it")]
    private partial void LogUnexpected(MqttEndpoint endpoint, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "MQTT DISCONNECT to {Endpoint} not sent: {Reason}")]
    private partial void LogDisconnectNotSent(MqttEndpoint endpoint, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "MQTT publish to {Topic} deferred to the next connection: {Reason}")]
    private partial void LogPublishDeferred(string topic, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "MQTT {Packet} retried after the connection was lost: {Reason}")]
    private partial void LogRequestRetried(string packet, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "MQTT acknowledgement for unknown packet identifier {PacketId} ignored")]
    private partial void LogUnknownAck(ushort packetId);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "MQTT: the broker refused the subscription to {TopicFilter}: {Reason}")]
    private partial void LogSubscriptionRefused(string topicFilter, MqttReasonCode reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Debug, Message = "MQTT {Callback} callback ended with its connection: {Reason}")]
    private partial void LogCallbackCancelled(string callback, string reason);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "MQTT: {Max} QoS 0 messages already wait for the message handler; dropping new ones (first: {Topic}); counted in IncomingDropped")]
    private partial void LogIncomingDropped(string topic, int max);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "MQTT: a message handler was still running {Seconds} s after the stop; leaving it behind")]
    private partial void LogHandlerStillRunning(double seconds);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "MQTT: the connection supervisor did not stop within {Seconds} s; abandoning it")]
    private partial void LogSupervisorStuck(double seconds);
}
