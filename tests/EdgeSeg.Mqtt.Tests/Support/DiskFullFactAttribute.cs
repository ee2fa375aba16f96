using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>
/// A fact that fills a real small disk (<see cref="SmallTmpfs"/>, which needs root to mount) and uses mosquitto;
/// reported as skipped, with the reason, where either is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DiskFullFactAttribute : FactAttribute
{
    public DiskFullFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root to mount a small tmpfs that really fills up (run the tests as root, as the CI container does)";
        }
        else if (!MosquittoBroker.IsInstalled)
        {
            Skip = $"needs mosquitto at {MosquittoBroker.BrokerPath}";
        }
    }
}
