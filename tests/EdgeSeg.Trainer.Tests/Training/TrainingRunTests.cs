using EdgeSeg.Core.Segmentation;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Reports;
using EdgeSeg.Trainer.Training;
using EdgeSeg.TestSupport;
using EdgeSeg.Trainer.Tests.Datasets;
using EdgeSeg.Training.Checkpoints;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Onnx;
using EdgeSeg.Training.Pretrained;
using Spectre.Console;

namespace EdgeSeg.Trainer.Tests.Training;

/// <summary>A short real training run on the shared CamVid data at a small size, then a resume.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-train-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private TrainOptions Options(int epochs, bool resume) => Options(epochs, resume, Path.Combine(RepoPaths.RequireSharedData(), "camvid"));

    private TrainOptions Options(int epochs, bool resume, string dataset)
    {
        return new TrainOptions
        {
            Data = [new DataSource(dataset, 1)],
            Validation = [dataset],
            Output = Path.Combine(_dir, "tiny.onnx"),
            Size = (96, 72),
            Depth = 2,
            BaseWidth = 8,
            Batch = 4,
            Epochs = epochs,
            EpochSize = 48,
            MaxValidation = 8,
            Threads = 2,
            Seed = 3,
            LearningRate = 5e-3,
            ClassWeighting = ClassWeighting.None,
            Resume = resume,
            CommandLine = "test",
        };
    }

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        return (console, writer);
    }

    [SharedDataFact]
    public async Task RunAsync_ShortRunThenResume_ImprovesOnUntrainedWritesReportAndContinuesFromSavedEpoch()
    {
        var (console, output) = Console();

        var code = await new TrainingRun(Options(epochs: 2, resume: false), console).RunAsync(CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        var report = Path.Combine(_dir, "tiny.report");
        foreach (var file in ReportWriter.Files)
        {
            Assert.True(File.Exists(Path.Combine(report, file)), file);
        }

        Assert.True(File.Exists(Path.Combine(_dir, "tiny.onnx")));
        Assert.True(File.Exists(Path.Combine(_dir, "tiny.json")));
        var history = TrainingHistory.Load(Path.Combine(_dir, "tiny.checkpoints", CheckpointFiles.History));
        Assert.Equal([0, 1, 2], history.Epochs.Select(e => e.Epoch));
        var untrained = history.Epochs[0].ValidationMeanIoU;
        Assert.True(history.Best!.ValidationMeanIoU > untrained + 0.1, $"best {history.Best.ValidationMeanIoU} vs untrained {untrained}\n{output}");
        Assert.Contains("camvid / val: 8 images", output.ToString(), StringComparison.Ordinal);

        var (console2, output2) = Console();
        var resumed = await new TrainingRun(Options(epochs: 3, resume: true), console2).RunAsync(CancellationToken.None);

        Assert.True(resumed == 0, output2.ToString());
        Assert.Contains("Resuming after epoch 2", output2.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/3", output2.ToString(), StringComparison.Ordinal);
        Assert.Contains("epoch 3/3", output2.ToString(), StringComparison.Ordinal);
        var after = TrainingHistory.Load(Path.Combine(_dir, "tiny.checkpoints", CheckpointFiles.History));
        Assert.Equal([0, 1, 2, 3], after.Epochs.Select(e => e.Epoch));
        // Epochs 1 and 2 are the first run's records, carried over unchanged.
        Assert.Equal(
            (history.Epochs[2].TrainLoss, history.Epochs[2].ValidationMeanIoU, history.Epochs[2].Seconds),
            (after.Epochs[2].TrainLoss, after.Epochs[2].ValidationMeanIoU, after.Epochs[2].Seconds));
    }

    [Fact]
    public async Task RunAsync_BrokenDataset_ListsProblemsAndDoesNotTrain()
    {
        using var data = new Datasets.TestDataset(sourceClasses: 4, ignoreLabel: null);
        data.AddSample("a", 16, 16, (x, _) => (byte)(x % 4));
        data.AddSample("b", 16, 16, (x, _) => (byte)(x % 5));
        data.WriteSplit("train", "a", "b", "missing");
        data.WriteSplit("val", "a");
        var (console, output) = Console();
        var options = Options(1, false, data.Directory) with { Size = (16, 16) };

        var code = await new TrainingRun(options, console).RunAsync(CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("3 problem(s)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Training did not start", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "tiny.checkpoints")));
    }

    [Fact]
    public async Task RunAsync_ResNet18FromImageNetWithFrozenFirstEpoch_KeepsImportedEncoderThenFineTunesAndExports()
    {
        using var data = new TestDataset(sourceClasses: 4, ignoreLabel: null);
        var stems = Enumerable.Range(0, 6).Select(i => $"s{i}").ToArray();
        foreach (var (stem, i) in stems.Select((s, i) => (s, i)))
        {
            data.AddSample(stem, 80, 64, (x, y) => (byte)(y > 32 + i ? 1 : x > 40 + (3 * i) ? 2 : 0));
        }

        data.WriteSplit("train", stems);
        data.WriteSplit("val", stems[..2]);
        TrainOptions Run(int epochs, bool resume) => new()
        {
            Data = [new DataSource(data.Directory, 1)],
            Validation = [data.Directory],
            Output = Path.Combine(_dir, "resnet.onnx"),
            Size = (64, 48),
            Encoder = EncoderKind.ResNet18,
            Pretrained = PretrainedResNet.ImageNetPath,
            EncoderLearningRateScale = 0.1,
            FreezeEncoderEpochs = 1,
            FreezeEncoderBatchNorm = true,
            ExportWeights = WeightFormat.Quantized,
            Mean = PretrainedResNet.Mean,
            Std = PretrainedResNet.Std,
            Batch = 2,
            Epochs = epochs,
            EpochSize = 4,
            Threads = 2,
            Seed = 3,
            LearningRate = 1e-3,
            Resume = resume,
            CommandLine = "test",
        };

        var (console, output) = Console();
        Assert.True(await new TrainingRun(Run(epochs: 1, resume: false), console).RunAsync(CancellationToken.None) == 0, output.ToString());
        Assert.Contains("encoder pretrained from", output.ToString(), StringComparison.Ordinal);

        // The int8 export's masks are compared with the same epoch in float32 on both validation frames (80x64 each),
        // through a float32 file that is gone afterwards.
        Assert.Matches(@"masks equal to float32's on \d{1,3}\.\d{3}% of 10,240 pixels \(lowest image \d{1,3}\.\d{3}%\)", output.ToString());
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "edgeseg-float32-*"));

        // Epoch 1 had the encoder frozen (weights and batch-norm statistics): the checkpoint holds the imported values.
        var pretrained = PretrainedResNet.Read(PretrainedResNet.ImageNetPath);
        var imported = new ResNetUNet(new ResNetUNetOptions { BlocksPerStage = pretrained.BlocksPerStage });
        pretrained.LoadInto(imported.Encoder);
        var trained = new ResNetUNet(new ResNetUNetOptions { BlocksPerStage = pretrained.BlocksPerStage });
        var last = Path.Combine(_dir, "resnet.checkpoints", CheckpointFiles.Last);
        Checkpoint.Load(last, trained);
        Assert.Equal(imported.Encoder.StateDict().Values.SelectMany(t => t.Data.ToArray()), trained.Encoder.StateDict().Values.SelectMany(t => t.Data.ToArray()));
        Assert.NotEqual(imported.Head.Weight.Data.ToArray(), trained.Head.Weight.Data.ToArray());

        // The export carries the encoder's normalisation and is read by the service's card reader.
        var card = ModelCard.Load(Path.Combine(_dir, "resnet.json"));
        Assert.Equal(32, card.Input.MultipleOf);
        Assert.Equal(PretrainedResNet.Mean, card.Input.Mean);

        // Epoch 2 thaws the encoder: its weights move, its batch-norm statistics stay as imported.
        var (console2, output2) = Console();
        Assert.True(await new TrainingRun(Run(epochs: 2, resume: true), console2).RunAsync(CancellationToken.None) == 0, output2.ToString());
        Checkpoint.Load(last, trained);
        Assert.NotEqual(imported.Encoder.Conv1.Weight.Data.ToArray(), trained.Encoder.Conv1.Weight.Data.ToArray());
        Assert.Equal(imported.Encoder.Bn1.RunningMean.Data.ToArray(), trained.Encoder.Bn1.RunningMean.Data.ToArray());
    }
}
