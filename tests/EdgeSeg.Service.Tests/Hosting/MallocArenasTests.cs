using EdgeSeg.Service.Hosting;

namespace EdgeSeg.Service.Tests.Hosting;

/// <summary>The glibc arena cap (the project runs on glibc Linux: Debian, Ubuntu, Jetson).</summary>
public sealed class MallocArenasTests
{
    [Fact]
    public void Cap_VariableSetOrNot_AppliesOnlyWhenGlibcIsNotAlreadyTold()
    {
        var before = Environment.GetEnvironmentVariable(MallocArenas.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, "4");
            Assert.False(MallocArenas.Cap());

            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, null);
            Assert.True(MallocArenas.Cap());
        }
        finally
        {
            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, before);
        }
    }
}
