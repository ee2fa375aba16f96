using System.Net;
using System.Net.Sockets;

namespace EdgeSeg.Pipeline.Tests.Support;

public static class Net
{
    /// <summary>A loopback port the OS picks (free when returned; the caller binds it right away).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
