using EdgeSeg.Trainer.Augmentation;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Training;

/// <summary>Everything a training run is configured with. Immutable.</summary>
internal sealed record TrainOptions
{
    /// <summary>Training datasets with their sampling weights.</summary>
    public required IReadOnlyList<DataSource> Data { get; init; }

    /// <summary>Validation dataset folders (their <c>val</c> split).</summary>
    public required IReadOnlyList<string> Validation { get; init; }

    /// <summary>The ONNX model to write (its card goes beside it).</summary>
    public required string Output { get; init; }

    /// <summary>Size every sample is decoded and cached at.</summary>
    public (int Width, int Height) Size { get; init; } = (480, 360);

    /// <summary>Training crop size (defaults to <see cref="Size"/>).</summary>
    public (int Width, int Height)? Crop { get; init; }

    /// <summary>The network: the plain U-Net or a U-Net with a ResNet-18 encoder.</summary>
    public EncoderKind Encoder { get; init; } = EncoderKind.UNet;

    /// <summary>
    /// The ONNX file of pretrained encoder weights (<c>--pretrained imagenet</c> resolves to the ImageNet ResNet-18
    /// beside the trainer), or null to learn the encoder from scratch. Only with <see cref="EncoderKind.ResNet18"/>.
    /// </summary>
    public string? Pretrained { get; init; }

    /// <summary>The encoder's learning rate as a multiple of <see cref="LearningRate"/> (ResNet-18 only).</summary>
    public double EncoderLearningRateScale { get; init; } = 1.0;

    /// <summary>Epochs at the start during which the encoder is frozen (ResNet-18 only; 0 = none).</summary>
    public int FreezeEncoderEpochs { get; init; }

    /// <summary>Keep the encoder's batch-norm statistics as pretrained (ResNet-18 only).</summary>
    public bool FreezeEncoderBatchNorm { get; init; }

    /// <summary>How the exported model stores its convolution weights.</summary>
    public EdgeSeg.Training.Onnx.WeightFormat ExportWeights { get; init; } = EdgeSeg.Training.Onnx.WeightFormat.Full;

    /// <summary>U-Net depth (levels).</summary>
    public int Depth { get; init; } = 4;

    /// <summary>U-Net base width (channels of the first level).</summary>
    public int BaseWidth { get; init; } = 16;

    /// <summary>Images per optimiser step.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Total epochs (a resumed run continues up to this).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Samples per epoch, or null for the number of training samples.</summary>
    public int? EpochSize { get; init; }

    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init; } = 5e-3;

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD Nesterov momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>The schedule.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Poly;

    /// <summary>Linear warm-up length in epochs (0 = none).</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Gradient clipping by global norm (null = none).</summary>
    public double? ClipGradNorm { get; init; } = 5;

    /// <summary>The loss.</summary>
    public LossKind Loss { get; init; } = LossKind.CrossEntropy;

    /// <summary>Class weighting.</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;

    /// <summary>The weights for <see cref="ClassWeighting.Given"/>.</summary>
    public IReadOnlyList<double>? GivenClassWeights { get; init; }

    /// <summary>Augmentation of training crops.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Seed of weights, sampling and augmentation.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Threads for decoding, augmentation and the engine's kernels.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Checkpoint folder (null: <c>&lt;output&gt;.checkpoints</c> beside the model).</summary>
    public string? Checkpoints { get; init; }

    /// <summary>Report folder (null: <c>&lt;output&gt;.report</c> beside the model).</summary>
    public string? Report { get; init; }

    /// <summary>Continue from the last checkpoint in the checkpoint folder.</summary>
    public bool Resume { get; init; }

    /// <summary>Validation frames per validation dataset (null = all).</summary>
    public int? MaxValidation { get; init; }

    /// <summary>Frames in the report's validation grid.</summary>
    public int GridFrames { get; init; } = 4;

    /// <summary>Per-channel mean of RGB pixel/255 (written into the model card).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.45f, 0.45f, 0.45f];

    /// <summary>Per-channel standard deviation of RGB pixel/255 (written into the model card).</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.25f, 0.25f, 0.25f];

    /// <summary>The exact command line (for the report).</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>The crop size in effect.</summary>
    public (int Width, int Height) CropSize => Crop ?? Size;

    /// <summary>The checkpoint folder in effect.</summary>
    public string CheckpointFolder => Checkpoints ?? Path.ChangeExtension(Path.GetFullPath(Output), ".checkpoints");

    /// <summary>The report folder in effect.</summary>
    public string ReportFolder => Report ?? Path.ChangeExtension(Path.GetFullPath(Output), ".report");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Check(Data.Count > 0, "--data: at least one training dataset is needed.");
        Check(Validation.Count > 0, "--val: at least one validation dataset is needed (best checkpoint is chosen by validation mIoU).");
        Check(Path.GetExtension(Output).Equals(".onnx", StringComparison.OrdinalIgnoreCase), $"--out {Output}: the model file must end in .onnx.");
        Check(Size.Width >= 8 && Size.Height >= 8, "--size: at least 8x8.");
        Check(CropSize.Width >= 8 && CropSize.Height >= 8, "--crop: at least 8x8.");
        Check(Depth is >= 1 and <= 6, "--depth must be 1..6.");
        Check(BaseWidth is >= 1 and <= 256, "--width must be 1..256.");
        Check(Batch >= 1, "--batch must be positive.");
        Check(Epochs >= 1, "--epochs must be positive.");
        Check(EpochSize is null or >= 1, "--epoch-size must be positive.");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "--lr must be a positive number.");
        Check(WeightDecay >= 0, "--weight-decay must not be negative.");
        Check(WarmupEpochs >= 0, "--warmup must not be negative.");
        Check(ClipGradNorm is null or > 0, "--clip-grad must be positive.");
        Check(Threads >= 1, "--threads must be positive.");
        Check(MaxValidation is null or >= 1, "--max-val must be positive.");
        Check(Encoder == EncoderKind.ResNet18 || Pretrained is null, "--pretrained needs --encoder resnet18.");
        Check(Encoder == EncoderKind.ResNet18 || (FreezeEncoderEpochs == 0 && !FreezeEncoderBatchNorm && EncoderLearningRateScale == 1.0),
            "--encoder-lr, --freeze-encoder and --freeze-encoder-bn need --encoder resnet18.");
        Check(EncoderLearningRateScale >= 0 && double.IsFinite(EncoderLearningRateScale), "--encoder-lr must be a number >= 0.");
        Check(FreezeEncoderEpochs >= 0, "--freeze-encoder must not be negative.");
        Check(Mean.Count == 3 && Std.Count == 3 && Std.All(s => s > 0), "mean and std need three values, std positive.");
        Augmentation.Validate();
    }
}
