using EdgeSeg.Core.Classes;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Trainer.Tests.Datasets;

public sealed class DatasetDescriptionTests
{
    private const string Classes = "\"classes\":[{\"index\":0,\"name\":\"sky\"},{\"index\":1,\"name\":\"road\"},{\"index\":2,\"name\":\"void\"}]";

    [Fact]
    public void Parse_NamesAndIndices_BuildsMapIgnoreAndUnlabelled()
    {
        var d = DatasetDescription.Parse(
            "{" + Classes + ",\"mapping\":[{\"source_index\":0,\"appliance_name\":\"background\"},{\"source_index\":1,\"appliance_index\":1}],"
            + "\"ignore_label_in_source\":2,\"unlabelled_appliance_classes\":{\"lane_marking\":\"road\"}}",
            "x.json",
            "folder");

        Assert.Equal("folder", d.Name);
        Assert.Equal(ApplianceClass.Road, d.Mapping[1]);
        Assert.Equal(ClassMap.Ignore, d.Map[2]);
        Assert.Equal(ApplianceClass.Road, d.Unlabelled[ApplianceClass.LaneMarking]);
        Assert.True(d.IsValidMaskValue(2));
        Assert.False(d.IsValidMaskValue(3));
    }

    [Theory]
    [InlineData("{" + Classes + "}", "x.json: mapping (or proposed_mapping) must be an array")]
    [InlineData("{" + Classes + ",\"mapping\":[{\"source_index\":0,\"appliance_index\":0}]}", "no appliance class for source class(es) 1 (road), 2 (void)")]
    [InlineData("{" + Classes + ",\"mapping\":[{\"source_index\":7,\"appliance_index\":0}]}", "mapping[0].source_index is 7, but classes are 0..2")]
    [InlineData("{" + Classes + ",\"mapping\":[{\"source_index\":0,\"appliance_name\":\"sky\"}]}", "mapping[0].appliance_name must be one of background, road")]
    [InlineData("{" + Classes + ",\"mapping\":[{\"source_index\":0,\"appliance_index\":1,\"appliance_name\":\"road\"},{\"source_index\":1,\"appliance_index\":4}],\"ignore_label_in_source\":2,\"unlabelled_appliance_classes\":{\"lane_marking\":\"road\"}}", "the mapping sends source classes to lane_marking")]
    [InlineData("{\"classes\":[{\"index\":1,\"name\":\"a\"}]}", "classes[0] has index 1; indices must be 0..0")]
    [InlineData("not json", "x.json: not valid JSON")]
    public void Parse_BadFile_ThrowsNamingFileAndField(string json, string expected)
    {
        var e = Assert.Throws<DatasetFormatException>(() => DatasetDescription.Parse(json, "x.json", "f"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Load_SharedDatasets_MatchTheirReadme()
    {
        var camvid = DatasetDescription.Load(Path.Combine(RepoPaths.RequireSharedData(), "camvid", "classes.json"));
        var camseq = DatasetDescription.Load(Path.Combine(RepoPaths.RequireSharedData(), "camseq01", "classes.json"));

        Assert.Equal(12, camvid.SourceClasses.Count);
        Assert.Equal(11, camvid.IgnoreLabel);
        Assert.Equal(ApplianceClass.Road, camvid.Unlabelled[ApplianceClass.LaneMarking]);
        Assert.Equal(ApplianceClass.Vehicle, camvid.Mapping[10]);
        Assert.Equal(32, camseq.SourceClasses.Count);
        Assert.Null(camseq.IgnoreLabel);
        Assert.Empty(camseq.Unlabelled);
        Assert.Equal(ApplianceClass.LaneMarking, camseq.Mapping[10]);

        var space = LabelSpace.For([camvid, camseq]);
        Assert.Equal(5, space.LookupFor(camvid)[3]);
        Assert.Equal(1, space.LookupFor(camseq)[17]);
        Assert.Equal(LabelSpace.Ignore, space.LookupFor(camvid)[11]);
        Assert.Equal(LabelSpace.Invalid, space.LookupFor(camvid)[12]);
    }

    [Theory]
    [InlineData("data/x", "data/x", 1.0)]
    [InlineData("data/x:2.5", "data/x", 2.5)]
    public void DataSourceParse_DirAndWeight_Splits(string text, string dir, double weight)
    {
        Assert.Equal(new DataSource(dir, weight), DataSource.Parse(text));
    }

    [Fact]
    public void DataSourceParse_BadWeight_NamesIt()
    {
        var e = Assert.Throws<FormatException>(() => DataSource.Parse("data/x:-1"));
        Assert.Contains("'-1'", e.Message, StringComparison.Ordinal);
    }
}
