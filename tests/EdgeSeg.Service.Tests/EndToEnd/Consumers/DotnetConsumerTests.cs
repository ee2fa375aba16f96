using System.Diagnostics;
using EdgeSeg.Service.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>The C# sample (samples/consumers/dotnet, MQTTnet and SkiaSharp), built with the solution.</summary>
public sealed class DotnetConsumerTests(ConsumerDriveFixture drive, ITestOutputHelper output) : ConsumerEndToEndTests(drive, output)
{
    public static string Dll => TestRepo.Path("samples", "consumers", "dotnet", "bin", "Release", "net10.0", "edgeseg-subscriber.dll");

    protected override ProcessStartInfo StartInfo(IReadOnlyList<string> args)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is missing: the solution build (make setup) builds the sample");
        return new ProcessStartInfo("dotnet", [Dll, .. args]);
    }
}
