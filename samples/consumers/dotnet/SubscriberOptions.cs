using System.Globalization;

namespace EdgeSegSubscriber;

/// <summary>The command line: where the broker is, which device to follow, and the session to keep.</summary>
internal sealed class SubscriberOptions
{
    public const string Usage = """
        edgeseg-subscriber: follow an EdgeSeg device's MQTT streams (status, classes, mask, metrics, events)

        usage: edgeseg-subscriber [--host HOST] [--port PORT] [--device ID] [options]

          --host HOST            broker host (default localhost)
          --port PORT            broker port (default 1883)
          --device ID            follow one device (default: every device)
          --prefix PREFIX        topic prefix, the service's Mqtt:TopicPrefix (default edgeseg/v1)
          --client-id ID         the session's client id (default edgeseg-subscriber-dotnet-HOSTNAME-DEVICE|all)
          --session-expiry SEC   how long the broker keeps the session while this program is away (default 3600)
          --json                 print each message as "<stream> {json}" for scripts, payloads in full
          --help                 this text

        One line per message on stdout, starting with its stream's name; connection news on stderr.
        The session is persistent (clean start off, QoS 1): run it again with the same client id and it receives
        the metrics and events published while it was away. Ctrl-C disconnects cleanly and keeps the session.
        """;

    public string Host { get; private set; } = "localhost";

    public int Port { get; private set; } = 1883;

    /// <summary>The device to follow; null follows every device.</summary>
    public string? Device { get; private set; }

    public string Prefix { get; private set; } = "edgeseg/v1";

    public string ClientId { get; private set; } = "";

    public uint SessionExpirySeconds { get; private set; } = 3600;

    public bool Json { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static SubscriberOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SubscriberOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--host":
                    options.Host = Value();
                    break;
                case "--port":
                    var port = Value();
                    options.Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                        ? p
                        : throw new ArgumentException($"--port '{port}' is not a TCP port (1-65535).");
                    break;
                case "--device":
                    options.Device = TopicLevel("--device", Value());
                    break;
                case "--prefix":
                    var prefix = Value().TrimEnd('/');
                    options.Prefix = prefix.Length > 0 && prefix.IndexOfAny(['+', '#']) < 0
                        ? prefix
                        : throw new ArgumentException($"--prefix '{prefix}' must be a non-empty topic without wildcards.");
                    break;
                case "--client-id":
                    var id = Value();
                    options.ClientId = id.Length is > 0 and <= 128 ? id : throw new ArgumentException("--client-id must be 1-128 characters.");
                    break;
                case "--session-expiry":
                    var expiry = Value();
                    options.SessionExpirySeconds = uint.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new ArgumentException($"--session-expiry '{expiry}' is not a number of seconds.");
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}' (see --help).");
            }
        }

        if (options.ClientId.Length == 0)
        {
            options.ClientId = $"edgeseg-subscriber-dotnet-{Environment.MachineName}-{options.Device ?? "all"}";
        }

        return options;
    }

    private static string TopicLevel(string option, string value) =>
        value.Length > 0 && value.IndexOfAny(['/', '+', '#']) < 0
            ? value
            : throw new ArgumentException($"{option} '{value}' must be one topic level: not empty, no '/', '+' or '#'.");
}
