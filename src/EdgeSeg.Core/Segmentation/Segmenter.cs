using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Runs a segmentation model on BGR frames and writes appliance-class masks of the frame's exact size: card-driven
/// pre-processing, the model run, upsampling and arg-max, class mapping and the combination of several outputs.
/// </summary>
/// <remarks>
/// Owns its inference session; dispose it to release the model. Not thread-safe: one thread calls
/// <see cref="Segment"/> at a time (use one segmenter per worker). Input and output tensors are created once per
/// frame size over pinned buffers and refilled per frame; after the first frame of a size nothing is allocated.
/// </remarks>
public sealed class Segmenter : IDisposable
{
    private readonly IInferenceSession _session;
    private readonly OutputDecoder[] _decoders;
    private readonly string[] _outputNames;
    private readonly byte[] _rank;
    private IInferenceBinding? _binding;
    private InputGeometry? _geometry;
    private PreprocessPlan? _preprocess;
    private float[] _floatInput = [];
    private bool _disposed;

    /// <summary>Opens <paramref name="modelPath"/> with <paramref name="backend"/> and reads its card.</summary>
    /// <param name="backend">The inference engine (e.g. the ONNX Runtime binding's backend).</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="cardPath">
    /// The card; null looks for the <c>.json</c> beside the model, then the model's <see cref="ModelCard.MetadataKey"/> metadata.
    /// </param>
    /// <param name="options">Providers, threads and upsampling; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">The model or the given card does not exist.</exception>
    /// <exception cref="ModelCardException">There is no card, it is malformed, or it does not match the model.</exception>
    public Segmenter(IInferenceBackend backend, string modelPath, string? cardPath = null, SegmenterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new SegmenterOptions();
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: {Path.GetFullPath(modelPath)}", modelPath);
        }

        if (cardPath is not null && !File.Exists(cardPath))
        {
            throw new FileNotFoundException($"Model card not found: {Path.GetFullPath(cardPath)}", cardPath);
        }

        Upsample = options.Upsample;
        ModelPath = modelPath;
        _session = backend.Open(modelPath, options.Inference);
        try
        {
            (Card, CardSource) = ResolveCard(modelPath, cardPath, _session.Metadata);
            ModelCardValidator.Validate(Card, _session.Inputs, _session.Outputs, CardSource);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _decoders = [.. Card.Outputs.Select(o => new OutputDecoder(o))];
        _outputNames = [.. Card.Outputs.Select(o => o.Name)];
        _rank = OutputDecoder.RankTable(Card);
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The card in use.</summary>
    public ModelCard Card { get; }

    /// <summary>Where the card came from (a file path, or the model's metadata).</summary>
    public string CardSource { get; }

    /// <summary>Which execution provider runs the model, and why preferred ones were skipped.</summary>
    public ExecutionProviderReport Providers => _session.Providers;

    /// <summary>The model's inputs as it declares them.</summary>
    public IReadOnlyList<TensorInfo> ModelInputs => _session.Inputs;

    /// <summary>The model's outputs as it declares them.</summary>
    public IReadOnlyList<TensorInfo> ModelOutputs => _session.Outputs;

    /// <summary>The upsampling mode.</summary>
    public UpsampleMode Upsample { get; }

    /// <summary>Stage times of the last <see cref="Segment"/> call.</summary>
    public SegmentTimings LastTimings { get; private set; }

    /// <summary>
    /// Segments <paramref name="frame"/> into <paramref name="destination"/>, which must have the frame's size.
    /// </summary>
    /// <param name="frame">A 3-channel BGR frame; only read during the call.</param>
    /// <param name="destination">Receives appliance class indices; owned by the caller.</param>
    /// <param name="confidence">
    /// Empty, or one float per pixel that receives the probability of the chosen class (softmax maximum of the
    /// upsampled logits; 1 for label outputs) of the output whose class the pixel took.
    /// </param>
    /// <exception cref="ArgumentException">The frame is not BGR, or the destination or confidence size differs from the frame.</exception>
    public void Segment(ImageBuffer frame, Mask destination, Span<float> confidence = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(destination);
        if (frame.Channels != 3)
        {
            throw new ArgumentException($"The frame has {frame.Channels} channel(s); the segmenter takes 3-channel BGR frames.", nameof(frame));
        }

        if (destination.Width != frame.Width || destination.Height != frame.Height)
        {
            throw new ArgumentException(
                $"The destination mask is {destination.Width}x{destination.Height}; the frame is {frame.Width}x{frame.Height}.", nameof(destination));
        }

        var pixels = frame.Width * frame.Height;
        if (!confidence.IsEmpty && confidence.Length != pixels)
        {
            throw new ArgumentException($"The confidence buffer has {confidence.Length} floats; the frame has {pixels} pixels.", nameof(confidence));
        }

        var binding = Prepare(frame.Width, frame.Height);
        var t0 = Stopwatch.GetTimestamp();
        if (binding.InputType == TensorElementType.Float16)
        {
            Preprocess.Run(frame.Pixels, _floatInput, _preprocess!);
            var half = binding.InputHalf;
            for (var i = 0; i < half.Length; i++)
            {
                half[i] = (Half)_floatInput[i];
            }
        }
        else
        {
            Preprocess.Run(frame.Pixels, binding.InputFloat, _preprocess!);
        }

        var t1 = Stopwatch.GetTimestamp();
        binding.Run();
        var t2 = Stopwatch.GetTimestamp();
        for (var k = 0; k < _decoders.Length; k++)
        {
            var decoder = _decoders[k];
            if (k == 0)
            {
                decoder.Decode(binding.GetOutput(k), _geometry!, Upsample, destination.Pixels, confidence);
                continue;
            }

            decoder.EnsureScratch(pixels, !confidence.IsEmpty);
            var scratchConfidence = confidence.IsEmpty ? Span<float>.Empty : decoder.ScratchConfidence.AsSpan();
            decoder.Decode(binding.GetOutput(k), _geometry!, Upsample, decoder.ScratchMask, scratchConfidence);
            Postprocess.Combine(destination.Pixels, confidence, decoder.ScratchMask, scratchConfidence, _rank);
        }

        var t3 = Stopwatch.GetTimestamp();
        LastTimings = new SegmentTimings(Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2), Stopwatch.GetElapsedTime(t2, t3));
    }

    /// <summary>Releases the bound tensors and the model session.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding?.Dispose();
        _session.Dispose();
    }

    private IInferenceBinding Prepare(int width, int height)
    {
        if (_binding is not null && _geometry!.FrameWidth == width && _geometry.FrameHeight == height)
        {
            return _binding;
        }

        var geometry = InputGeometry.For(Card.Input, width, height);
        var shapeChanged = _geometry is null || _geometry.TensorWidth != geometry.TensorWidth || _geometry.TensorHeight != geometry.TensorHeight;
        if (shapeChanged)
        {
            _binding?.Dispose();
            _binding = null;
            _binding = _session.Bind(Card.Input.Name, [1, 3, geometry.TensorHeight, geometry.TensorWidth], _outputNames);
        }

        _geometry = geometry;
        _preprocess = new PreprocessPlan(Card.Input, geometry);
        if (_binding!.InputType == TensorElementType.Float16 && _floatInput.Length != _preprocess.TensorLength)
        {
            _floatInput = new float[_preprocess.TensorLength];
        }

        return _binding;
    }

    private static (ModelCard Card, string Source) ResolveCard(string modelPath, string? cardPath, IReadOnlyDictionary<string, string> metadata)
    {
        if (cardPath is not null)
        {
            return (ModelCard.Load(cardPath), cardPath);
        }

        var beside = ModelCard.PathBeside(modelPath);
        if (File.Exists(beside))
        {
            return (ModelCard.Load(beside), beside);
        }

        if (metadata.TryGetValue(ModelCard.MetadataKey, out var json))
        {
            var source = $"metadata '{ModelCard.MetadataKey}' of {modelPath}";
            return (ModelCard.Parse(json, source), source);
        }

        throw new ModelCardException(modelPath, "(card)",
            $"no model card: looked for {Path.GetFullPath(beside)} beside the model and for metadata key '{ModelCard.MetadataKey}' in it; pass a card path");
    }
}
