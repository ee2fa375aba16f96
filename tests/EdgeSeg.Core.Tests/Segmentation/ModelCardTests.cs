using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Core.Tests.Segmentation;

public sealed class ModelCardTests
{
    // The exact shape the issue fixes for the public format.
    private const string IssueExample = """
        {
          "name": "twin-head-road",
          "input": { "name": "images", "colorOrder": "RGB", "mean": [0, 0, 0], "std": [1, 1, 1],
                     "width": 640, "height": 360, "resize": "stretch" },
          "outputs": [
            { "name": "da", "kind": "logits", "classes": ["other", "drivable"],
              "map": { "drivable": "road" } },
            { "name": "ll", "kind": "logits", "classes": ["other", "line"],
              "map": { "line": "lane_marking" } }
          ],
          "precedence": ["lane_marking", "pedestrian", "vehicle", "road", "background"]
        }
        """;

    [Fact]
    public void Parse_IssueExample_ReadsEveryField()
    {
        var card = ModelCard.Parse(IssueExample);

        Assert.Equal("twin-head-road", card.Name);
        Assert.Equal("images", card.Input.Name);
        Assert.Equal(ColorOrder.Rgb, card.Input.ColorOrder);
        Assert.Equal([0f, 0f, 0f], card.Input.Mean);
        Assert.Equal([1f, 1f, 1f], card.Input.Std);
        Assert.Equal((640, 360), (card.Input.Width!.Value, card.Input.Height!.Value));
        Assert.Equal(ResizePolicy.Stretch, card.Input.Resize);
        Assert.False(card.Input.IsDynamic);
        Assert.Equal(["da", "ll"], card.Outputs.Select(o => o.Name));
        Assert.Equal(ApplianceClass.Road, card.Outputs[0].ApplianceClassOf(1));
        Assert.Equal(ApplianceClass.Background, card.Outputs[0].ApplianceClassOf(0));
        Assert.Equal(ApplianceClass.LaneMarking, card.Outputs[1].ApplianceClassOf(1));
        Assert.Equal(
            [ApplianceClass.LaneMarking, ApplianceClass.Pedestrian, ApplianceClass.Vehicle, ApplianceClass.Road, ApplianceClass.Background],
            card.Precedence);
    }

    [Fact]
    public void Parse_MinimalDynamicCard_AppliesDefaults()
    {
        var card = ModelCard.Parse("""{"input":{"name":"x","multipleOf":32},"outputs":[{"name":"y","classes":["background","road","car"]}]}""");

        Assert.True(card.Input.IsDynamic);
        Assert.Equal(32, card.Input.MultipleOf);
        Assert.Equal(ColorOrder.Rgb, card.Input.ColorOrder);
        Assert.Equal([0f, 0f, 0f], card.Input.Mean);
        Assert.Equal([1f, 1f, 1f], card.Input.Std);
        Assert.Equal(OutputKind.Logits, card.Outputs[0].Kind);
        Assert.Equal(ModelCard.DefaultPrecedence, card.Precedence);
    }

    [Fact]
    public void ApplianceClassOf_UnmappedNames_BackgroundUnlessNamedLikeAnApplianceClass()
    {
        var card = ModelCard.Parse("""{"input":{"name":"x","multipleOf":8},"outputs":[{"name":"y","classes":["sky","road","vehicle","car"],"map":{"sky":"pedestrian"}}]}""");
        var output = card.Outputs[0];

        Assert.Equal(ApplianceClass.Pedestrian, output.ApplianceClassOf(0));
        Assert.Equal(ApplianceClass.Road, output.ApplianceClassOf(1));
        Assert.Equal(ApplianceClass.Vehicle, output.ApplianceClassOf(2));
        Assert.Equal(ApplianceClass.Background, output.ApplianceClassOf(3));
    }

    [Fact]
    public void RankOf_IssuePrecedence_LaneOverRoadAndBackgroundLowest()
    {
        var card = ModelCard.Parse(IssueExample);

        Assert.True(card.RankOf(ApplianceClass.LaneMarking) > card.RankOf(ApplianceClass.Road));
        Assert.True(card.RankOf(ApplianceClass.Road) > card.RankOf(ApplianceClass.Background));
        Assert.Equal(0, card.RankOf(ApplianceClass.Background));
    }

    [Fact]
    public void Parse_WorkingHeight_ReadAndWrittenBack()
    {
        var card = ModelCard.Parse("""{"input":{"name":"x","multipleOf":16,"workingHeight":240},"outputs":[{"name":"y","classes":["background","road"]}]}""");

        Assert.Equal(240, card.Input.WorkingHeight);
        Assert.Equal(240, ModelCard.Parse(card.ToJson()).Input.WorkingHeight);
    }

    [Fact]
    public void ToJson_ThenParse_RoundTrips()
    {
        var card = ModelCard.Parse(IssueExample.Replace("\"stretch\"", "\"letterbox\"", StringComparison.Ordinal));

        var again = ModelCard.Parse(card.ToJson());

        Assert.Equal(card.ToJson(), again.ToJson());
        Assert.Equal(ResizePolicy.Letterbox, again.Input.Resize);
        Assert.Equal("road", again.Outputs[0].Map["drivable"]);
    }

    [Theory]
    [InlineData("\"colorOrder\": \"RGB\"", "\"colorOrder\": \"YUV\"", "input.colorOrder", "'YUV' is not RGB or BGR")]
    [InlineData("\"resize\": \"stretch\"", "\"resize\": \"crop\"", "input.resize", "'crop' is not stretch or letterbox")]
    [InlineData("\"std\": [1, 1, 1]", "\"std\": [1, 0, 1]", "input.std[1]", "0 must be greater than 0")]
    [InlineData("\"mean\": [0, 0, 0]", "\"mean\": [0, 0]", "input.mean", "must be an array of 3 numbers, one per channel in the tensor's channel order")]
    [InlineData("\"width\": 640, ", "", "input.width", "width and height are given together, or both left out for a dynamic input")]
    [InlineData("\"width\": 640, \"height\": 360, ", "", "input.multipleOf", "a dynamic input (no width and height) must give multipleOf (e.g. 32)")]
    [InlineData("\"width\": 640", "\"width\": -4", "input.width", "-4 is not a pixel count between 1 and 16384")]
    [InlineData("\"height\": 360, ", "\"height\": 360, \"workingHeight\": 240, ", "input.workingHeight", "applies to a dynamic input only (leave out width and height, or workingHeight)")]
    [InlineData("\"width\": 640, \"height\": 360, ", "\"multipleOf\": 16, \"workingHeight\": 0, ", "input.workingHeight", "0 is not a pixel count between 1 and 16384")]
    [InlineData("\"kind\": \"logits\", \"classes\": [\"other\", \"line\"]", "\"kind\": \"softmax\", \"classes\": [\"other\", \"line\"]", "outputs[1].kind", "'softmax' is not logits, probabilities or labels")]
    [InlineData("\"map\": { \"drivable\": \"road\" }", "\"map\": { \"drivable\": \"street\" }", "outputs[0].map.drivable", "'street' is not an appliance class (background, road, vehicle, pedestrian, lane_marking)")]
    [InlineData("\"map\": { \"line\": \"lane_marking\" }", "\"map\": { \"kerb\": \"lane_marking\" }", "outputs[1].map.kerb", "'kerb' is not one of the output's classes (other, line)")]
    [InlineData("\"classes\": [\"other\", \"drivable\"]", "\"classes\": [\"other\", \"other\"]", "outputs[0].classes", "'other' is listed twice")]
    [InlineData("\"precedence\": [\"lane_marking\"", "\"precedence\": [\"lanes\"", "precedence[0]", "'lanes' is not an appliance class (background, road, vehicle, pedestrian, lane_marking)")]
    [InlineData("\"name\": \"ll\"", "\"name\": \"da\"", "outputs", "output 'da' is listed twice")]
    [InlineData("\"input\": {", "\"inputs\": {", "input", "is required")]
    public void Parse_InvalidField_ErrorNamesTheField(string find, string replace, string field, string problem)
    {
        Assert.Contains(find, IssueExample, StringComparison.Ordinal);
        var json = IssueExample.Replace(find, replace, StringComparison.Ordinal);

        var ex = Assert.Throws<ModelCardException>(() => ModelCard.Parse(json, "card.json"));

        Assert.Equal(field, ex.Field);
        Assert.Equal(problem, ex.Problem);
        Assert.Equal($"Model card card.json: {field}: {problem}", ex.Message);
    }

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        var ex = Assert.Throws<ModelCardException>(() => ModelCard.Parse("{ name: ", "x.json"));

        Assert.Equal("(document)", ex.Field);
        Assert.StartsWith("not valid JSON", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_FileNotFoundNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-card.json");

        var ex = Assert.Throws<FileNotFoundException>(() => ModelCard.Load(path));

        Assert.Equal($"Model card not found: {path}", ex.Message);
    }
}
