namespace EdgeSeg.Service.Tests.Support;

/// <summary>Tests that set process environment variables run one at a time, apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentTests
{
    public const string Name = "process environment";
}
