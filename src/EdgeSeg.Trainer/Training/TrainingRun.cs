using System.Diagnostics;
using System.Globalization;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.Trainer.Augmentation;
using EdgeSeg.Trainer.Cli;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Evaluation;
using EdgeSeg.Trainer.Reports;
using EdgeSeg.Training.Checkpoints;
using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Onnx;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Pretrained;
using EdgeSeg.Training.Schedules;
using Spectre.Console;

namespace EdgeSeg.Trainer.Training;

/// <summary>
/// One <c>edgeseg-train train</c> run: check and decode the data, train with validation each epoch, keep the best
/// checkpoint by validation mIoU, save a checkpoint on cancellation (Ctrl-C or SIGTERM), export the best model to ONNX with its
/// card, score it through the service's segmenter and write the report. Writes progress to the console it is given.
/// </summary>
internal sealed class TrainingRun
{
    // Reduced-precision weights should leave masks as they are: a warning below this share of equal pixels.
    private const double MinimumAgreement = 0.999;

    private readonly TrainOptions _options;
    private readonly IAnsiConsole _console;

    /// <summary>Creates the run.</summary>
    public TrainingRun(TrainOptions options, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        _options = options;
        _console = console;
    }

    /// <summary>Exit code: 0 done, 1 bad data or files, 2 bad options, 130 interrupted (checkpoint saved).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var o = _options;
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            _console.MarkupLineInterpolated($"[red]train:[/] {e.Message}");
            return 2;
        }

        EngineThreads.Count = o.Threads;

        // Data: every file of every training and validation split is checked before anything trains.
        List<Dataset> train;
        List<Dataset> val;
        try
        {
            train = [.. o.Data.Select(d => Dataset.Open(d.Directory))];
            val = [.. o.Validation.Select(Dataset.Open)];
        }
        catch (DatasetFormatException e)
        {
            _console.MarkupLineInterpolated($"[red]train:[/] {e.Message}");
            return 1;
        }

        var space = LabelSpace.For(train.Concat(val).Select(d => d.Description));
        List<SplitRequest> requests =
        [
            .. train.Select((d, i) => new SplitRequest(d, i, "train")),
            .. val.Select((d, i) => new SplitRequest(d, train.Count + i, "val", o.MaxValidation)),
        ];
        var loaded = Decode(requests, space, cancellationToken);
        if (!loaded.Ok)
        {
            CheckCommand.Report(_console, loaded.Problems, loaded.Checked, requests);
            _console.MarkupLine("[red]Training did not start:[/] fix the problems above (edgeseg-train check lists them again).");
            return 1;
        }

        var trainSamples = loaded.Samples.Take(train.Count).ToList();
        var validator = new Validator([.. val.Select((d, i) => (d.Description, loaded.Samples[train.Count + i]))], space, o);
        var counts = new ClassPixelCounts();
        foreach (var sample in trainSamples.SelectMany(s => s))
        {
            counts.Add(sample.Labels, space);
        }

        var weights = ClassWeights.Compute(o.ClassWeighting, counts, o.GivenClassWeights);
        var epochSize = o.EpochSize ?? trainSamples.Sum(s => s.Count);
        var sampler = new WeightedSampler([.. trainSamples.Select(s => s.Count)], [.. o.Data.Select(d => d.Weight)], epochSize, o.Seed);
        var stepsPerEpoch = (epochSize + o.Batch - 1) / o.Batch;

        // Model, optimiser, schedule, loss.
        SegmentationNetwork model;
        try
        {
            model = CreateModel(o);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            _console.MarkupLineInterpolated($"[red]train:[/] --pretrained: {e.Message}");
            return 1;
        }

        Optimizer optimizer = o.Optimizer == OptimizerKind.Sgd
            ? new Sgd(model.NamedParameters(), o.LearningRate, o.Momentum, o.Nesterov, o.WeightDecay)
            : new AdamW(model.NamedParameters(), o.LearningRate, weightDecay: o.WeightDecay);
        if (model is ResNetUNet resnet)
        {
            optimizer.ScaleLearningRate(resnet.EncoderParameters(), o.EncoderLearningRateScale);
        }
        var schedule = Schedule(o, (long)stepsPerEpoch * o.Epochs);
        var loss = Loss(o, weights, space);
        var assembler = new BatchAssembler(new Augmenter(o.Augmentation, o.CropSize.Width, o.CropSize.Height), o.Mean, o.Std, o.Threads);

        Directory.CreateDirectory(o.CheckpointFolder);
        var lastPath = Path.Combine(o.CheckpointFolder, CheckpointFiles.Last);
        var bestPath = Path.Combine(o.CheckpointFolder, CheckpointFiles.Best);
        var historyPath = Path.Combine(o.CheckpointFolder, CheckpointFiles.History);
        var history = new TrainingHistory();
        var firstEpoch = 1;
        if (o.Resume)
        {
            if (!File.Exists(lastPath))
            {
                _console.MarkupLineInterpolated($"[red]train:[/] --resume: no checkpoint {lastPath} to resume from.");
                return 1;
            }

            try
            {
                var info = Checkpoint.Load(lastPath, model, optimizer);
                firstEpoch = info.Epoch + 1;
                history = TrainingHistory.Load(historyPath);
                history.TruncateAfter(info.Epoch);
                _console.MarkupLineInterpolated($"Resuming after epoch {info.Epoch} from [blue]{lastPath}[/].");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
            {
                _console.MarkupLineInterpolated($"[red]train:[/] --resume: {e.Message}");
                return 1;
            }
        }
        else
        {
            foreach (var stale in new[] { lastPath, bestPath, historyPath }.Where(File.Exists))
            {
                File.Delete(stale);
            }
        }

        Describe(trainSamples, validator, weights, space, epochSize, stepsPerEpoch, model);
        if (firstEpoch == 1)
        {
            // Epoch 0 is the untrained model: the curves then show how far training moved it.
            var (baseline, baselineIoU, _) = validator.Run(model, null, cancellationToken);
            history.Add(new EpochRecord(0, double.NaN, schedule.LearningRate(0), double.NaN, 0, baseline, baselineIoU));
            _console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"untrained: val mIoU {EvaluationTable.Format(baseline)}");
        }

        var interrupted = false;
        for (var epoch = firstEpoch; epoch <= o.Epochs && !interrupted; epoch++)
        {
            if (model is ResNetUNet net && o.FreezeEncoderEpochs > 0)
            {
                optimizer.Freeze(net.EncoderParameters(), frozen: epoch <= o.FreezeEncoderEpochs);
            }

            var epochClock = Stopwatch.StartNew();
            var (meanLoss, imagesPerSecond, completed) = await TrainEpochAsync(
                model, optimizer, schedule, loss, assembler, sampler, trainSamples, epoch, stepsPerEpoch, cancellationToken);
            if (!completed)
            {
                interrupted = true;
                break;
            }

            var (miou, classIoU, _) = validator.Run(model, null, CancellationToken.None);
            var record = new EpochRecord(epoch, meanLoss, optimizer.LearningRate, imagesPerSecond, epochClock.Elapsed.TotalSeconds, miou, classIoU);
            var best = history.Best;
            history.Add(record);
            var improved = best is null || !(miou <= best.ValidationMeanIoU);
            SaveCheckpoint(lastPath, model, optimizer, epoch, history);
            if (improved && double.IsFinite(miou))
            {
                File.Copy(lastPath, bestPath, overwrite: true);
            }

            history.Save(historyPath);
            var perClass = string.Join(", ", ApplianceClasses.All.Select(c => $"{c.Name} {EvaluationTable.Format(classIoU[c.Index])}"));
            _console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {epoch}/{o.Epochs}: loss {meanLoss:0.0000}, val mIoU [bold]{EvaluationTable.Format(miou)}[/] ({perClass}), "
                + $"{imagesPerSecond:0.0} img/s, {epochClock.Elapsed.TotalSeconds:0.0} s{(improved ? ", best so far" : string.Empty)}"));
        }

        if (interrupted)
        {
            // Ctrl-C or SIGTERM: keep what this epoch learnt. The checkpoint says the last completed epoch, so --resume repeats
            // the interrupted epoch from its start with the weights as they were when interrupted.
            var completedEpochs = Math.Max(firstEpoch - 1, history.Epochs.Count == 0 ? 0 : history.Epochs[^1].Epoch);
            SaveCheckpoint(lastPath, model, optimizer, completedEpochs, history, interrupted: true);
            history.Save(historyPath);
            _console.MarkupLineInterpolated($"[yellow]Interrupted.[/] Checkpoint saved to [blue]{lastPath}[/]; continue with --resume.");
            return 130;
        }

        return await FinishAsync(model, val, validator, history, bestPath, lastPath, started, clock, cancellationToken);
    }

    private DatasetLoadResult Decode(IReadOnlyList<SplitRequest> requests, LabelSpace space, CancellationToken cancellationToken)
    {
        DatasetLoadResult? result = null;
        _console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var total = requests.Sum(r => r.Dataset.HasSplit(r.Split) ? Math.Min(r.Limit ?? int.MaxValue, r.Dataset.ReadSplit(r.Split).Count) : 0);
                var task = ctx.AddTask("checking and decoding", maxValue: Math.Max(1, total));
                result = DatasetLoader.Load(requests, space, _options.Size, keepSamples: true, _options.Threads, new Progress<int>(n => task.Value = n), cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private async Task<(double Loss, double ImagesPerSecond, bool Completed)> TrainEpochAsync(
        SegmentationNetwork model, Optimizer optimizer, ILearningRateSchedule schedule, SegmentationLoss loss, BatchAssembler assembler,
        WeightedSampler sampler, List<IReadOnlyList<Sample>> samples, int epoch, int steps, CancellationToken cancellationToken)
    {
        var order = sampler.Epoch(epoch - 1);
        double lossSum = 0;
        var images = 0;
        var completed = true;
        var clock = Stopwatch.StartNew();
        model.Train();
        await _console.Progress().AutoClear(true).HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"epoch {epoch}/{_options.Epochs}", maxValue: steps);
                for (var step = 0; step < steps; step++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        completed = false;
                        return;
                    }

                    var slice = order.Skip(step * _options.Batch).Take(_options.Batch).ToList();
                    var batch = slice.Select(s => samples[s.Dataset][s.Index]).ToList();
                    var seeds = slice.Select((_, i) => SeedOf(_options.Seed, epoch, (step * _options.Batch) + i)).ToList();

                    // Batch preparation is short next to forward and backward; it runs on the engine's threads first.
                    var (input, labels) = await Task.Run(() => assembler.Build(batch, seeds), CancellationToken.None);
                    optimizer.LearningRate = schedule.LearningRate(optimizer.StepCount);
                    var value = loss.Forward(model.Forward(input), labels);
                    var lossValue = value.Item();
                    value.Backward();
                    if (_options.ClipGradNorm is { } clip)
                    {
                        GradientClipping.ClipByNorm(optimizer.Parameters, clip);
                    }

                    optimizer.Step();
                    optimizer.ZeroGrad();
                    lossSum += lossValue * batch.Count;
                    images += batch.Count;
                    var rate = images / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{_options.Epochs} loss {lossSum / images:0.0000} {rate:0.0} img/s");
                    task.Increment(1);
                }
            });
        return (images == 0 ? double.NaN : lossSum / images, images / Math.Max(1e-9, clock.Elapsed.TotalSeconds), completed);
    }

    private async Task<int> FinishAsync(
        SegmentationNetwork model, IReadOnlyList<Dataset> val, Validator validator, TrainingHistory history, string bestPath, string lastPath,
        DateTimeOffset started, Stopwatch clock, CancellationToken cancellationToken)
    {
        var o = _options;
        var bestEpoch = Checkpoint.Load(File.Exists(bestPath) ? bestPath : lastPath, model).Epoch;
        var name = Path.GetFileNameWithoutExtension(o.Output);
        var folder = Path.GetDirectoryName(Path.GetFullPath(o.Output));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var card = OnnxExporter.DefaultCard(model, name, [.. ApplianceClasses.All.Select(c => c.Name)], o.Mean, o.Std, workingHeight: o.Size.Height);
        OnnxExporter.Export(model, o.Output, card, o.ExportWeights);
        _console.MarkupLineInterpolated($"Exported epoch {bestEpoch} to [blue]{o.Output}[/] with its card [blue]{ModelCard.PathBeside(o.Output)}[/].");

        // The report's table scores the exported file through the service's segmenter, frames scaled to the training height.
        // Reduced-precision weights are also compared with the same epoch exported in float32, mask against mask.
        var final = new List<EvaluationResult>();
        var segmenterOptions = new SegmenterOptions { Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = o.Threads } };
        var float32Path = o.ExportWeights == WeightFormat.Full ? null : Path.Combine(Path.GetTempPath(), $"edgeseg-float32-{Guid.NewGuid():N}.onnx");
        try
        {
            if (float32Path is not null)
            {
                OnnxExporter.Export(model, float32Path, card, WeightFormat.Full);
            }

            using var segmenter = OnnxRuntimeBackend.OpenSegmenter(o.Output, null, segmenterOptions);
            using var float32 = float32Path is null ? null : OnnxRuntimeBackend.OpenSegmenter(float32Path, null, segmenterOptions);
            var reference = float32 is null ? null : new ReferenceModel("float32", float32);
            foreach (var dataset in val)
            {
                var result = await Evaluator.RunAsync(segmenter, dataset, "val", null, o.MaxValidation, reference, cancellationToken);
                final.Add(result);
                _console.Write(EvaluationTable.Render(result));
                if (result.Agreement is { Share: < MinimumAgreement } agreement)
                {
                    var changed = 100 * (1 - agreement.Share);
                    _console.MarkupLineInterpolated(
                        $"[yellow]warning:[/] the {(o.ExportWeights == WeightFormat.Half ? "float16" : "int8")} weights change {changed:0.###}% of {dataset.Name}'s mask pixels against float32 (more than {100 * (1 - MinimumAgreement):0.#}%); --weights float16 or float32 keeps them closer.");
                }
            }
        }
        finally
        {
            if (float32Path is not null)
            {
                File.Delete(float32Path);
                File.Delete(ModelCard.PathBeside(float32Path));
            }
        }

        // Grid: frames spread over the validation sets, predicted by the exported epoch's weights.
        var predictions = new Dictionary<Sample, byte[]>();
        validator.Run(model, predictions, cancellationToken);
        var frames = predictions.Keys.Where((_, i) => i % Math.Max(1, predictions.Count / o.GridFrames) == 0).Take(o.GridFrames).ToList();
        var grid = PredictionGrid.Compose([.. frames.Select(s => (s.Image, validator.TruthOf(s), predictions[s]))]);
        var summary = new RunSummary(
            o.CommandLine,
            started,
            clock.Elapsed,
            Path.GetFullPath(o.Output),
            bestEpoch,
            final,
            [
                model.Summary + (o.Pretrained is { } pretrainedFile ? $"; encoder from {Path.GetFileName(pretrainedFile)}, lr x{o.EncoderLearningRateScale.ToString(CultureInfo.InvariantCulture)}, frozen {o.FreezeEncoderEpochs} epochs{(o.FreezeEncoderBatchNorm ? ", batch-norm statistics frozen" : string.Empty)}" : string.Empty) + $"; weights exported as {o.ExportWeights}",
                string.Create(CultureInfo.InvariantCulture, $"size {o.Size.Width}x{o.Size.Height}, crop {o.CropSize.Width}x{o.CropSize.Height}, batch {o.Batch}, {o.Epochs} epochs, {o.Optimizer} lr {o.LearningRate} ({o.Schedule}), loss {o.Loss}, class weights {o.ClassWeighting}, seed {o.Seed}, {o.Threads} threads"),
                "Curves: the engine's own forward on the validation frames at the training size, each epoch (epoch 0 is the untrained model).",
                "Table: the exported ONNX model through the service's segmenter on the validation frames at their own size.",
            ]);
        ReportWriter.Write(o.ReportFolder, history, summary, grid);
        _console.MarkupLineInterpolated($"Report: [blue]{Path.Combine(o.ReportFolder, "index.html")}[/] ({ReportWriter.FormatDuration(clock.Elapsed)}).");
        return 0;
    }

    private void Describe(List<IReadOnlyList<Sample>> train, Validator validator, double[] weights, LabelSpace space, int epochSize, int steps, SegmentationNetwork model)
    {
        var o = _options;
        var sources = string.Join(", ", o.Data.Select((d, i) => string.Create(
            CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(d.Directory))} {train[i].Count} x{d.Weight}")));
        _console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Training on {train.Sum(s => s.Count)} samples ({sources}), validating on {validator.Count}; {epochSize} samples per epoch in {steps} steps of {o.Batch}."));
        var weightText = string.Join(", ", ApplianceClasses.All.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {weights[c.Index]:0.###}")));
        var partial = space.HasPartialLabels ? "; partial labels: " + string.Join(", ", space.ClassSets.Skip(ApplianceClasses.Count).Select(SetName)) : string.Empty;
        _console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{model.Summary}{(o.Pretrained is { } p ? $", encoder pretrained from {p}" : string.Empty)}; class weights {o.ClassWeighting}: {weightText}{partial}"));
    }

    private static string SetName(uint set) =>
        string.Join(" or ", ApplianceClasses.All.Where(c => (set & (1u << c.Index)) != 0).Select(c => c.Name));

    private static SegmentationNetwork CreateModel(TrainOptions o)
    {
        if (o.Encoder == EncoderKind.UNet)
        {
            return new UNet(new UNetOptions { Depth = o.Depth, BaseWidth = o.BaseWidth, Classes = ApplianceClasses.Count }, o.Seed);
        }

        var pretrained = o.Pretrained is { } path ? PretrainedResNet.Read(path) : null;
        var model = new ResNetUNet(new ResNetUNetOptions { BlocksPerStage = pretrained?.BlocksPerStage ?? [2, 2, 2, 3], Classes = ApplianceClasses.Count }, o.Seed);

        // A resumed run overwrites these with its checkpoint's weights.
        pretrained?.LoadInto(model.Encoder);
        foreach (var bn in model.Encoder.BatchNorms())
        {
            bn.FrozenStatistics = o.FreezeEncoderBatchNorm;
        }

        return model;
    }

    private static void SaveCheckpoint(string path, SegmentationNetwork model, Optimizer optimizer, int epoch, TrainingHistory history, bool interrupted = false)
    {
        var best = history.Best;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["edgeseg.architecture"] = model.Architecture,
            ["edgeseg.summary"] = model.Summary,
            ["edgeseg.bestEpoch"] = (best?.Epoch ?? 0).ToString(CultureInfo.InvariantCulture),
            ["edgeseg.bestMIoU"] = (best?.ValidationMeanIoU ?? double.NaN).ToString("R", CultureInfo.InvariantCulture),
            ["edgeseg.interrupted"] = interrupted ? "true" : "false",
        };
        var tmp = path + ".tmp";
        Checkpoint.Save(tmp, model, optimizer, epoch, metadata);
        File.Move(tmp, path, overwrite: true);
    }

    private static ILearningRateSchedule Schedule(TrainOptions o, long totalSteps)
    {
        ILearningRateSchedule schedule = o.Schedule switch
        {
            ScheduleKind.Poly => new PolySchedule(o.LearningRate, totalSteps),
            ScheduleKind.Cosine => new CosineSchedule(o.LearningRate, totalSteps),
            _ => new PolySchedule(o.LearningRate, totalSteps, power: 0),
        };
        var warmup = (long)Math.Round(o.WarmupEpochs * totalSteps / o.Epochs);
        return warmup > 0 ? new WarmupSchedule(schedule, warmup) : schedule;
    }

    private static SegmentationLoss Loss(TrainOptions o, double[] weights, LabelSpace space)
    {
        var partial = Enumerable.Range(ApplianceClasses.Count, space.CodeCount - ApplianceClasses.Count).ToDictionary(
            code => code,
            code => (IReadOnlyList<int>)[.. ApplianceClasses.All.Where(c => (space.ClassSets[code] & (1u << c.Index)) != 0).Select(c => (int)c.Index)]);
        var ce = new CrossEntropyLoss(ApplianceClasses.Count, [.. weights.Select(w => (float)w)], LabelSpace.Ignore, partial);
        return o.Loss switch
        {
            LossKind.CrossEntropy => new SegmentationLoss(ce, null),
            LossKind.Dice => new SegmentationLoss(ce, new DiceLoss(ApplianceClasses.Count), crossEntropyWeight: 0f, diceWeight: 1f),
            _ => new SegmentationLoss(ce, new DiceLoss(ApplianceClasses.Count), 1f, 1f),
        };
    }

    // Per-sample augmentation seed from (run seed, epoch, position): the same in a resumed run as in an uninterrupted one.
    private static int SeedOf(int seed, int epoch, int position)
    {
        var z = unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) + ((ulong)epoch * 0xBF58476D1CE4E5B9UL) + ((ulong)position * 0x94D049BB133111EBUL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
