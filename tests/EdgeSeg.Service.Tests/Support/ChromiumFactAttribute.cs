namespace EdgeSeg.Service.Tests.Support;

/// <summary>A fact that needs Debian's chromium (installed by set-up for the tests); skipped, with the reason, where it is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (DevToolsBrowser.ExecutablePath is null)
        {
            Skip = "needs chromium at /usr/bin/chromium (scripts/setup.sh apt installs it)";
        }
        else if (!TestSupport.Mosquitto.MosquittoBroker.IsInstalled)
        {
            Skip = $"needs mosquitto at {TestSupport.Mosquitto.MosquittoBroker.BrokerPath} (apt-get install mosquitto mosquitto-clients)";
        }
    }
}
