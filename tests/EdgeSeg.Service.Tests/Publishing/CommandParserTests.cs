using System.Text;
using EdgeSeg.Service.Publishing;

namespace EdgeSeg.Service.Tests.Publishing;

public sealed class CommandParserTests
{
    private static readonly string[] Sources = ["cam0"];

    [Fact]
    public void TryParse_SetRateWithNullFps_MeansEveryFrame()
    {
        var command = CommandParser.TryParse("set-rate", "{\"id\":\"a\",\"source\":\"cam0\",\"stream\":\"overlay\",\"fps\":null}"u8, Sources, out var error, out var id);
        Assert.Null(error);
        Assert.Equal("a", id);
        Assert.Equal(new SetRateCommand("a", "cam0", PublishedStream.Overlay, null), command);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(1000)]
    public void TryParse_SetRateAtTheEdgesOfTheRange_IsAccepted(double fps)
    {
        var payload = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{{\"source\":\"cam0\",\"stream\":\"metrics\",\"fps\":{fps}}}"));
        var command = CommandParser.TryParse("set-rate", payload, Sources, out var error, out _);
        Assert.Null(error);
        Assert.Equal(new SetRateCommand(null, "cam0", PublishedStream.Metrics, fps), command);
    }

    [Fact]
    public void TryParse_EmptyPayload_IsAnEmptyObject()
    {
        Assert.Equal(new SnapshotCommand(null, null), CommandParser.TryParse("snapshot", [], Sources, out _, out _));
        Assert.Equal(new ReloadModelCommand(null, null), CommandParser.TryParse("reload-model", [], Sources, out _, out _));
    }

    [Theory]
    [InlineData("reload-model", "{\"path\":null}")]
    [InlineData("reload-model", "{\"id\":null,\"path\":null}")]
    [InlineData("snapshot", "{\"id\":null,\"source\":null}")]
    public void TryParse_OptionalFieldsNull_SameAsAbsent(string name, string payload)
    {
        var command = CommandParser.TryParse(name, Encoding.UTF8.GetBytes(payload), Sources, out var error, out _);

        Assert.True(error is null, error);
        Assert.Equal(CommandParser.TryParse(name, [], Sources, out _, out _), command);
    }

    [Theory]
    [InlineData("reload-model", "{\"path\":\"\"}", "'path' must be a non-empty file path")]
    [InlineData("reload-model", "{\"path\":[\"a\"]}", "'path' must be a string")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\"}", "'fps' is required")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":\"2\"}", "'fps' must be a number")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":1001}", "'fps' must be a number from 0.001 to 1000")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":1e-300}", "'fps' must be a number from 0.001 to 1000 or null, not 1e-300")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":0.0009}", "'fps' must be a number from 0.001 to 1000")]
    [InlineData("set-rate", "{\"source\":\"cam0\",\"stream\":\"mask\",\"fps\":0}", "'fps' must be a number from 0.001 to 1000")]
    [InlineData("snapshot", "{\"id\":1}", "'id' must be a string")]
    [InlineData("snapshot", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "not valid JSON")]
    public void TryParse_Invalid_ReturnsNullWithReason(string name, string payload, string reason)
    {
        var command = CommandParser.TryParse(name, Encoding.UTF8.GetBytes(payload), Sources, out var error, out _);
        Assert.Null(command);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedPayload_IsRejected()
    {
        var payload = new byte[CommandParser.MaxPayloadBytes + 1];
        Assert.Null(CommandParser.TryParse("snapshot", payload, Sources, out var error, out _));
        Assert.Contains("larger than", error, StringComparison.Ordinal);
    }
}
