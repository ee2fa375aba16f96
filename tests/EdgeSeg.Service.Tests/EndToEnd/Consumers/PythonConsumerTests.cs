using System.Diagnostics;
using EdgeSeg.Service.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>The Python sample (samples/consumers/python) on Debian's python3 with paho-mqtt, numpy and Pillow.</summary>
public sealed class PythonConsumerTests(ConsumerDriveFixture drive, ITestOutputHelper output) : ConsumerEndToEndTests(drive, output)
{
    // Debian's interpreter, the one python3-paho-mqtt, python3-numpy and python3-pil are installed for.
    private const string Python = "/usr/bin/python3";

    protected override ProcessStartInfo StartInfo(IReadOnlyList<string> args) =>
        new(Python, [TestRepo.Path("samples", "consumers", "python", "edgeseg_subscriber.py"), .. args]);
}
