namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>The consumer tests share one rendered drive and its <c>edgeseg infer</c> masks, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsumerDriveGroup : ICollectionFixture<ConsumerDriveFixture>
{
    public const string Name = "consumer samples";
}
