using Xunit;

namespace EdgeSeg.TestSupport.Mosquitto;

/// <summary>A theory that needs the mosquitto broker; skipped (with the reason) where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MosquittoTheoryAttribute : TheoryAttribute
{
    public MosquittoTheoryAttribute()
    {
        if (!MosquittoBroker.IsInstalled)
        {
            Skip = $"needs mosquitto at {MosquittoBroker.BrokerPath} (apt-get install mosquitto mosquitto-clients)";
        }
    }
}
