using System.CommandLine;
using System.Reflection;

namespace EdgeSeg.Service.Cli;

/// <summary><c>edgeseg version</c>: the product version and runtime.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the edgeseg version and the .NET runtime it runs on.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            Console.WriteLine($"edgeseg {version} on .NET {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})");
            return 0;
        });
        return command;
    }
}
