using Xunit;

namespace EdgeSeg.TestSupport.Mosquitto;

/// <summary>A fact that needs the mosquitto broker; reported as skipped (with the reason) where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (!MosquittoBroker.IsInstalled)
        {
            Skip = $"needs mosquitto at {MosquittoBroker.BrokerPath} (apt-get install mosquitto mosquitto-clients)";
        }
    }
}
