using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Systemd;

/// <summary>
/// A fact that runs the service under strace's fault injection with the unit's system call filter, and needs
/// mosquitto, strace and systemd-analyze; reported as skipped (with the reason) where one is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SyscallFaultFactAttribute : FactAttribute
{
    public SyscallFaultFactAttribute()
    {
        var missing = new[] { "/usr/bin/strace", "/usr/bin/systemd-analyze" }.Where(t => !File.Exists(t)).ToList();
        if (!MosquittoBroker.IsInstalled)
        {
            missing.Add(MosquittoBroker.BrokerPath);
        }

        if (missing.Count > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} (apt-get install strace systemd mosquitto)";
        }
    }
}
