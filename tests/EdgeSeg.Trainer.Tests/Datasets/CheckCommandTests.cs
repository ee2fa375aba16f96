using EdgeSeg.Trainer.Cli;
using Spectre.Console;

namespace EdgeSeg.Trainer.Tests.Datasets;

public sealed class CheckCommandTests
{
    private static (int Code, string Output) Run(IReadOnlyList<string> directories)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 400;
        var code = CheckCommand.Run(directories, [], 2, console, CancellationToken.None);
        return (code, writer.ToString());
    }

    [Fact]
    public void Run_CleanDatasetWithTrainAndVal_ChecksBothSplitsAndSucceeds()
    {
        using var data = new TestDataset();
        data.AddSample("a", 4, 4, (x, _) => (byte)(x % 3));
        data.AddSample("b", 4, 4, (_, y) => (byte)(y % 3));
        data.WriteSplit("train", "a");
        data.WriteSplit("val", "b");

        var (code, output) = Run([data.Directory]);

        Assert.Equal(0, code);
        Assert.Contains("ok: 2 samples checked (tiny/train, tiny/val)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFolderAndBrokenDataset_ListsEveryProblemAndFails()
    {
        using var data = new TestDataset();
        data.AddSample("a", 4, 4, (_, _) => 7);
        data.WriteSplit("train", "a", "gone");
        var missing = Path.Combine(data.Directory, "no-such-dataset");

        var (code, output) = Run([missing, data.Directory]);

        Assert.Equal(1, code);
        Assert.Contains("4 problem(s)", output, StringComparison.Ordinal);
        Assert.Contains("no-such-dataset: dataset folder not found", output, StringComparison.Ordinal);
        Assert.Contains("gone.jpg: image missing", output, StringComparison.Ordinal);
        Assert.Contains("gone.png: mask missing", output, StringComparison.Ordinal);
        Assert.Contains("values outside the class list: 7 (16 px, first at x=0, y=0)", output, StringComparison.Ordinal);
    }
}
