namespace EdgeSeg.Service.Tests.EndToEnd.Consumers;

/// <summary>The consumer tests share one rendered drive and its reference masks (edgeseg process --save-masks), and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsumerDriveGroup : ICollectionFixture<ConsumerDriveFixture>
{
    public const string Name = "consumer samples";
}
