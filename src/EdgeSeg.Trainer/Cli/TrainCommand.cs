using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSeg.Trainer.Augmentation;
using EdgeSeg.Trainer.Datasets;
using EdgeSeg.Trainer.Training;
using Spectre.Console;

namespace EdgeSeg.Trainer.Cli;

/// <summary>
/// <c>edgeseg-train train</c>: trains a U-Net on one or more datasets (each with a sampling weight), validates each
/// epoch, keeps the best checkpoint by validation mIoU, and exports it to ONNX with its card and a report.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string[]>("--data") { Description = "Training dataset DIR or DIR:WEIGHT (its train split); repeat to mix datasets.", Required = true };
        var val = new Option<string[]>("--val") { Description = "Validation dataset DIR (its val split); repeat for several.", Required = true };
        var output = new Option<string>("--out") { Description = "The ONNX model to write, e.g. models/NAME.onnx (its card goes beside it).", Required = true };
        var size = new Option<string>("--size") { Description = "Size WxH every frame is decoded and cached at.", DefaultValueFactory = _ => "480x360" };
        var crop = new Option<string?>("--crop") { Description = "Training crop WxH (default: --size)." };
        var encoder = new Option<string>("--encoder") { Description = "unet (the plain U-Net, --depth and --width) or resnet18 (a U-Net with a ResNet-18 encoder).", DefaultValueFactory = _ => "unet" };
        var pretrained = new Option<string?>("--pretrained") { Description = "resnet18 only: imagenet (the ImageNet ResNet-18 shipped with the trainer) or an ONNX file of a ResNet of basic blocks; default: from scratch." };
        var encoderLr = new Option<double>("--encoder-lr") { Description = "resnet18 only: the encoder's learning rate as a multiple of --lr.", DefaultValueFactory = _ => 1.0 };
        var freezeEncoder = new Option<int>("--freeze-encoder") { Description = "resnet18 only: keep the encoder frozen for the first N epochs.", DefaultValueFactory = _ => 0 };
        var freezeEncoderBn = new Option<bool>("--freeze-encoder-bn") { Description = "resnet18 only: keep the encoder's batch-norm statistics as pretrained." };
        var exportWeights = new Option<string>("--weights") { Description = "How the exported model stores its weights: float32, float16 (half the size), or int8 (large layers int8 per channel, the rest float16).", DefaultValueFactory = _ => "float32" };
        var depth = new Option<int>("--depth") { Description = "U-Net levels.", DefaultValueFactory = _ => 4 };
        var width = new Option<int>("--width") { Description = "U-Net base width (channels of the first level).", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 4 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 30 };
        var epochSize = new Option<int?>("--epoch-size") { Description = "Samples per epoch (default: all training samples)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adamw or sgd.", DefaultValueFactory = _ => "adamw" };
        var lr = new Option<double>("--lr") { Description = "Base learning rate.", DefaultValueFactory = _ => 5e-3 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => 1e-4 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD with Nesterov momentum." };
        var schedule = new Option<string>("--schedule") { Description = "poly, cosine or constant.", DefaultValueFactory = _ => "poly" };
        var warmup = new Option<double>("--warmup") { Description = "Linear warm-up, in epochs.", DefaultValueFactory = _ => 0 };
        var clip = new Option<double>("--clip-grad") { Description = "Clip gradients to this global norm (0: off).", DefaultValueFactory = _ => 5 };
        var loss = new Option<string>("--loss") { Description = "ce, dice or ce+dice.", DefaultValueFactory = _ => "ce" };
        var classWeights = new Option<string>("--class-weights") { Description = "median (median-frequency), enet, none, or five numbers w0,w1,w2,w3,w4.", DefaultValueFactory = _ => "none" };
        var seed = new Option<int>("--seed") { Description = "Seed of weights, sampling and augmentation.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads for decoding, augmentation and the engine.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Checkpoint folder (default: <out>.checkpoints beside the model)." };
        var report = new Option<string?>("--report") { Description = "Report folder (default: <out>.report beside the model)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in the checkpoint folder." };
        var maxVal = new Option<int?>("--max-val") { Description = "Use only the first N frames of each validation split." };
        var scale = new Option<string>("--scale") { Description = "Random scale range MIN:MAX.", DefaultValueFactory = _ => "0.75:1.5" };
        var jitter = new Option<double>("--jitter") { Description = "Brightness, contrast and saturation jitter (0: off).", DefaultValueFactory = _ => 0.25 };
        var blur = new Option<double>("--blur") { Description = "Probability of a blur.", DefaultValueFactory = _ => 0 };
        var noise = new Option<double>("--noise") { Description = "Probability of sensor noise.", DefaultValueFactory = _ => 0 };
        var noFlip = new Option<bool>("--no-flip") { Description = "No horizontal flips." };

        var command = new Command("train", "Train a U-Net (plain, or with a ResNet-18 encoder fine-tuned from ImageNet) on datasets in the EdgeSeg format, validating each epoch; the best checkpoint by "
            + "validation mIoU is exported to ONNX with its model card, and a report (curves, frames, per-class table) is written.")
        {
            data, val, output, size, crop, encoder, pretrained, encoderLr, freezeEncoder, freezeEncoderBn, exportWeights, depth, width, batch, epochs, epochSize, optimizer, lr, weightDecay, momentum, nesterov, schedule,
            warmup, clip, loss, classWeights, seed, threads, checkpoints, report, resume, maxVal, scale, jitter, blur, noise, noFlip,
        };
        // A synchronous action on purpose: System.CommandLine kills an async action 2 s after Ctrl-C, which would cut
        // a long training step short before its checkpoint is saved; our own Ctrl-C handler stops the loop instead (SIGTERM too).
        command.SetAction(parse =>
        {
            TrainOptions options;
            try
            {
                var (weighting, given) = ParseClassWeights(parse.GetValue(classWeights)!);
                var (minScale, maxScale) = ParseRange(parse.GetValue(scale)!);
                var j = parse.GetValue(jitter);
                var clipValue = parse.GetValue(clip);
                var encoderKind = parse.GetValue(encoder) switch
                {
                    "unet" => EncoderKind.UNet,
                    "resnet18" => EncoderKind.ResNet18,
                    var other => throw new FormatException($"--encoder '{other}': expected unet or resnet18."),
                };
                options = new TrainOptions
                {
                    Data = [.. (parse.GetValue(data) ?? []).Select(DataSource.Parse)],
                    Validation = parse.GetValue(val) ?? [],
                    Output = parse.GetValue(output)!,
                    Size = ParseSize(parse.GetValue(size)!, "--size"),
                    Crop = parse.GetValue(crop) is { } c ? ParseSize(c, "--crop") : null,
                    Encoder = encoderKind,
                    Pretrained = parse.GetValue(pretrained) switch
                    {
                        null or "none" => null,
                        "imagenet" => EdgeSeg.Training.Pretrained.PretrainedResNet.ImageNetPath,
                        var file => file,
                    },
                    EncoderLearningRateScale = parse.GetValue(encoderLr),
                    FreezeEncoderEpochs = parse.GetValue(freezeEncoder),
                    FreezeEncoderBatchNorm = parse.GetValue(freezeEncoderBn),
                    ExportWeights = parse.GetValue(exportWeights) switch
                    {
                        "float32" => EdgeSeg.Training.Onnx.WeightFormat.Full,
                        "float16" => EdgeSeg.Training.Onnx.WeightFormat.Half,
                        "int8" => EdgeSeg.Training.Onnx.WeightFormat.Quantized,
                        var other => throw new FormatException($"--weights '{other}': expected float32, float16 or int8."),
                    },

                    // The ResNet encoder takes what its ImageNet weights expect (the same from scratch, so runs compare).
                    Mean = encoderKind == EncoderKind.ResNet18 ? EdgeSeg.Training.Pretrained.PretrainedResNet.Mean : [0.45f, 0.45f, 0.45f],
                    Std = encoderKind == EncoderKind.ResNet18 ? EdgeSeg.Training.Pretrained.PretrainedResNet.Std : [0.25f, 0.25f, 0.25f],
                    Depth = parse.GetValue(depth),
                    BaseWidth = parse.GetValue(width),
                    Batch = parse.GetValue(batch),
                    Epochs = parse.GetValue(epochs),
                    EpochSize = parse.GetValue(epochSize),
                    Optimizer = parse.GetValue(optimizer) switch
                    {
                        "adamw" => OptimizerKind.AdamW,
                        "sgd" => OptimizerKind.Sgd,
                        var other => throw new FormatException($"--optimizer '{other}': expected adamw or sgd."),
                    },
                    LearningRate = parse.GetValue(lr),
                    WeightDecay = parse.GetValue(weightDecay),
                    Momentum = parse.GetValue(momentum),
                    Nesterov = parse.GetValue(nesterov),
                    Schedule = parse.GetValue(schedule) switch
                    {
                        "poly" => ScheduleKind.Poly,
                        "cosine" => ScheduleKind.Cosine,
                        "constant" => ScheduleKind.Constant,
                        var other => throw new FormatException($"--schedule '{other}': expected poly, cosine or constant."),
                    },
                    WarmupEpochs = parse.GetValue(warmup),
                    ClipGradNorm = clipValue > 0 ? clipValue : null,
                    Loss = parse.GetValue(loss) switch
                    {
                        "ce" => LossKind.CrossEntropy,
                        "dice" => LossKind.Dice,
                        "ce+dice" => LossKind.CrossEntropyDice,
                        var other => throw new FormatException($"--loss '{other}': expected ce, dice or ce+dice."),
                    },
                    ClassWeighting = weighting,
                    GivenClassWeights = given,
                    Augmentation = new AugmentationOptions
                    {
                        MinScale = minScale,
                        MaxScale = maxScale,
                        HorizontalFlip = !parse.GetValue(noFlip),
                        Brightness = j,
                        Contrast = j,
                        Saturation = j,
                        BlurProbability = parse.GetValue(blur),
                        NoiseProbability = parse.GetValue(noise),
                    },
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                    Checkpoints = parse.GetValue(checkpoints),
                    Report = parse.GetValue(report),
                    Resume = parse.GetValue(resume),
                    MaxValidation = parse.GetValue(maxVal),
                    CommandLine = "edgeseg-train " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote)),
                };
            }
            catch (FormatException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]train:[/] {e.Message}");
                return 2;
            }

            return RunStoppableAsync(options, AnsiConsole.Console, CancellationToken.None).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>
    /// Runs training; the first Ctrl-C (SIGINT) or SIGTERM (<c>kill</c>, <c>systemctl stop</c>) stops it after the
    /// current step and saves a checkpoint. A second signal is not intercepted and ends the process.
    /// </summary>
    public static async Task<int> RunStoppableAsync(TrainOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            // Keep the process alive so the loop can save its checkpoint.
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await new TrainingRun(options, console).RunAsync(stop.Token);
    }

    /// <summary>Parses <c>WxH</c>.</summary>
    /// <exception cref="FormatException">Not two positive integers.</exception>
    public static (int Width, int Height) ParseSize(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('x', 'X');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && w > 0 && h > 0)
        {
            return (w, h);
        }

        throw new FormatException($"{option} '{text}': expected WIDTHxHEIGHT, e.g. 480x360.");
    }

    private static (double, double) ParseRange(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
        {
            return (a, b);
        }

        throw new FormatException($"--scale '{text}': expected MIN:MAX, e.g. 0.75:1.5.");
    }

    private static (ClassWeighting, IReadOnlyList<double>?) ParseClassWeights(string text) => text switch
    {
        "median" => (ClassWeighting.MedianFrequency, null),
        "enet" => (ClassWeighting.Enet, null),
        "none" => (ClassWeighting.None, null),
        _ => (ClassWeighting.Given, ClassWeights.Parse(text)),
    };

    private static string Quote(string arg) => arg.Length > 0 && arg.All(ch => char.IsLetterOrDigit(ch) || "-_./:=+,".Contains(ch, StringComparison.Ordinal))
        ? arg
        : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
