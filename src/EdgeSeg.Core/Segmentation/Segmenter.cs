using System.Diagnostics;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Runs a segmentation model on BGR frames and writes appliance-class masks of the frame's exact size: card-driven
/// pre-processing, the model run, upsampling and arg-max, class mapping and the combination of several outputs.
/// </summary>
/// <remarks>
/// Owns its inference session; dispose it to release the model. One thread calls <see cref="Segment"/>,
/// <see cref="SegmentBatch"/> or <see cref="Run(SegmentationSlot)"/> at a time (use one segmenter per worker). To
/// overlap a frame's pre- and post-processing with the model's run on its neighbours, rent a
/// <see cref="SegmentationSlot"/> per frame: <see cref="Prepare"/> and <see cref="Decode"/> may run on other threads. Input and output
/// tensors are created once per input tensor size over pinned buffers, sized for <see cref="MaxBatchSize"/> frames,
/// and refilled per frame; after the first frame of a size nothing is allocated. A batch runs the same pre- and
/// post-processing per frame as a single frame does, around one model run over the stacked frames.
/// </remarks>
public sealed class Segmenter : IDisposable
{
    // A handful of frame sizes at once (one per source resolution); past that the oldest is dropped.
    private const int MaxFrameSizes = 8;

    // Input tensor sizes kept bound at once; each holds pinned buffers for a whole batch, so fewer.
    private const int MaxBindings = 4;

    // Returned slots kept for reuse; enough for every frame in flight in a pipeline with a few sources.
    private const int MaxFreeSlots = 32;

    private readonly IInferenceSession _session;
    private readonly OutputDecoder[] _decoders;
    private readonly string[] _outputNames;
    private readonly byte[] _rank;
    private readonly List<PreprocessPlan> _plans = [];
    private readonly List<IInferenceBinding> _bindings = [];
    private readonly int _bindBatch;
    private readonly bool _dynamicBatch;
    private readonly int[] _group;
    private readonly PreprocessPlan[] _groupPlans;
    private bool[] _taken = [];
    private float[] _floatInput = [];

    // Slots may be rented and returned on any thread; this guards the free list, the count and disposal.
    private readonly Lock _slotLock = new();
    private readonly List<SegmentationSlot> _freeSlots = [];
    private int _outstandingSlots;
    private volatile bool _disposed;

    /// <summary>Opens <paramref name="modelPath"/> with <paramref name="backend"/> and reads its card.</summary>
    /// <param name="backend">The inference engine (e.g. the ONNX Runtime binding's backend).</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="cardPath">
    /// The card; null looks for the <c>.json</c> beside the model, then the model's <see cref="ModelCard.MetadataKey"/> metadata.
    /// </param>
    /// <param name="options">Providers, threads, upsampling and batch size; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">The model or the given card does not exist.</exception>
    /// <exception cref="ModelCardException">There is no card, it is malformed, or it does not match the model.</exception>
    public Segmenter(IInferenceBackend backend, string modelPath, string? cardPath = null, SegmenterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new SegmenterOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize, nameof(options));
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

        _decoders = NewDecoders();
        _outputNames = [.. Card.Outputs.Select(o => o.Name)];
        _rank = OutputDecoder.RankTable(Card);
        (MaxBatchSize, _bindBatch, _dynamicBatch, BatchNote) = BatchLimits(_session.Inputs.First(i => i.Name == Card.Input.Name), options.MaxBatchSize);
        if (BatchNote is not null)
        {
            options.Inference.Log?.Invoke(BatchNote);
        }

        _group = new int[MaxBatchSize];
        _groupPlans = new PreprocessPlan[MaxBatchSize];
    }

    /// <summary>
    /// The most frames one model run takes: <see cref="SegmenterOptions.MaxBatchSize"/> for a model whose input has a
    /// dynamic batch dimension, at most its batch for a fixed batch, and 1 for a model with a fixed batch of 1.
    /// </summary>
    public int MaxBatchSize { get; }

    /// <summary>Why <see cref="MaxBatchSize"/> differs from the batch size asked for, or how a fixed batch is run; null when nothing is limited.</summary>
    public string? BatchNote { get; }

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

    /// <summary>Stage times of the last <see cref="Segment"/> call, or the summed times of the last <see cref="SegmentBatch"/> call.</summary>
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

        var plan = PlanFor(frame.Width, frame.Height);
        var binding = BindingFor(plan.Geometry);
        var t0 = Stopwatch.GetTimestamp();
        Fill(binding, 0, frame, plan, ref _floatInput);
        var t1 = Stopwatch.GetTimestamp();
        Run(binding, 1);
        var t2 = Stopwatch.GetTimestamp();
        DecodeOutputs(_decoders, binding, 0, plan.Geometry, destination.Pixels, confidence);
        var t3 = Stopwatch.GetTimestamp();
        LastTimings = new SegmentTimings(Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2), Stopwatch.GetElapsedTime(t2, t3));
    }

    /// <summary>
    /// Segments several frames, each into its own mask, exactly as <see cref="Segment"/> would one by one: frames whose
    /// input tensors have the same size run together in one model run of up to <see cref="MaxBatchSize"/> frames;
    /// frames of other sizes form their own runs. <see cref="LastTimings"/> then holds the whole call's times.
    /// </summary>
    /// <param name="frames">3-channel BGR frames; only read during the call.</param>
    /// <param name="destinations">One mask per frame, each the size of its frame; owned by the caller.</param>
    /// <param name="confidences">
    /// Empty, or one entry per frame: null (or empty) to skip that frame's confidence, else one float per pixel (see <see cref="Segment"/>).
    /// </param>
    /// <exception cref="ArgumentException">A frame is not BGR, or the counts or a destination's or confidence's size do not match.</exception>
    public void SegmentBatch(ReadOnlySpan<ImageBuffer> frames, ReadOnlySpan<Mask> destinations, ReadOnlySpan<float[]?> confidences = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destinations.Length != frames.Length)
        {
            throw new ArgumentException($"{destinations.Length} destination mask(s) for {frames.Length} frame(s).", nameof(destinations));
        }

        if (!confidences.IsEmpty && confidences.Length != frames.Length)
        {
            throw new ArgumentException($"{confidences.Length} confidence buffer(s) for {frames.Length} frame(s).", nameof(confidences));
        }

        for (var i = 0; i < frames.Length; i++)
        {
            var (frame, destination) = (frames[i], destinations[i]);
            ArgumentNullException.ThrowIfNull(frame, nameof(frames));
            ArgumentNullException.ThrowIfNull(destination, nameof(destinations));
            if (frame.Channels != 3)
            {
                throw new ArgumentException($"Frame {i} has {frame.Channels} channel(s); the segmenter takes 3-channel BGR frames.", nameof(frames));
            }

            if (destination.Width != frame.Width || destination.Height != frame.Height)
            {
                throw new ArgumentException(
                    $"Destination mask {i} is {destination.Width}x{destination.Height}; its frame is {frame.Width}x{frame.Height}.", nameof(destinations));
            }

            if (!confidences.IsEmpty && confidences[i] is { Length: > 0 } confidence && confidence.Length != frame.Width * frame.Height)
            {
                throw new ArgumentException($"Confidence buffer {i} has {confidence.Length} floats; frame {i} has {frame.Width * frame.Height} pixels.", nameof(confidences));
            }
        }

        if (_taken.Length < frames.Length)
        {
            _taken = new bool[frames.Length];
        }

        _taken.AsSpan(0, frames.Length).Clear();
        long pre = 0, run = 0, post = 0;
        for (var first = 0; first < frames.Length; first++)
        {
            if (_taken[first])
            {
                continue;
            }

            var count = Group(frames, first);
            var binding = BindingFor(_groupPlans[0].Geometry);
            var t0 = Stopwatch.GetTimestamp();
            for (var m = 0; m < count; m++)
            {
                Fill(binding, m, frames[_group[m]], _groupPlans[m], ref _floatInput);
            }

            var t1 = Stopwatch.GetTimestamp();
            Run(binding, count);
            var t2 = Stopwatch.GetTimestamp();
            for (var m = 0; m < count; m++)
            {
                var index = _group[m];
                var confidence = confidences.IsEmpty ? null : confidences[index];
                DecodeOutputs(_decoders, binding, m, _groupPlans[m].Geometry, destinations[index].Pixels, confidence ?? Span<float>.Empty);
            }

            var t3 = Stopwatch.GetTimestamp();
            (pre, run, post) = (pre + (t1 - t0), run + (t2 - t1), post + (t3 - t2));
        }

        LastTimings = new SegmentTimings(Elapsed(pre), Elapsed(run), Elapsed(post));
    }

    /// <summary>Slots rented and not yet returned.</summary>
    public int OutstandingSlots
    {
        get
        {
            lock (_slotLock)
            {
                return _outstandingSlots;
            }
        }
    }

    /// <summary>
    /// Rents a slot for frames of <paramref name="frameWidth"/> x <paramref name="frameHeight"/>: its own input and
    /// output tensors (one frame) and its own post-processing scratch. Thread-safe. Slots are reused once returned:
    /// after the first few frames of a size nothing is allocated.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The segmenter is disposed.</exception>
    public SegmentationSlot RentSlot(int frameWidth, int frameHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);
        lock (_slotLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var i = _freeSlots.Count - 1; i >= 0; i--)
            {
                var free = _freeSlots[i];
                if (free.FrameWidth == frameWidth && free.FrameHeight == frameHeight)
                {
                    _freeSlots.RemoveAt(i);
                    _outstandingSlots++;
                    free.State = SegmentationSlotState.Empty;
                    free.Timings = default;
                    return free;
                }
            }

            // A slot of its own plan (the plan's scratch row is used by the thread that prepares) and decoders
            // (their scratch is used by the thread that decodes); a dynamic batch binds one frame, a fixed one its batch.
            var plan = new PreprocessPlan(Card.Input, InputGeometry.For(Card.Input, frameWidth, frameHeight));
            var binding = _session.Bind(Card.Input.Name, [_dynamicBatch ? 1 : _bindBatch, 3, plan.Geometry.TensorHeight, plan.Geometry.TensorWidth], _outputNames);
            _outstandingSlots++;
            return new SegmentationSlot(this, plan, binding, NewDecoders());
        }
    }

    /// <summary>
    /// Pre-processes <paramref name="frame"/> into <paramref name="slot"/>'s input tensor. Any thread (one per slot at
    /// a time); runs alongside <see cref="Run(SegmentationSlot)"/> and <see cref="Decode"/> of other slots.
    /// </summary>
    /// <param name="slot">A slot of this segmenter for the frame's size, not in use by another thread.</param>
    /// <param name="frame">A 3-channel BGR frame; only read during the call.</param>
    /// <exception cref="ArgumentException">The slot is another segmenter's or serves another size, or the frame is not BGR.</exception>
    public void Prepare(SegmentationSlot slot, ImageBuffer frame)
    {
        RequireOwn(slot);
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Channels != 3)
        {
            throw new ArgumentException($"The frame has {frame.Channels} channel(s); the segmenter takes 3-channel BGR frames.", nameof(frame));
        }

        if (frame.Width != slot.FrameWidth || frame.Height != slot.FrameHeight)
        {
            throw new ArgumentException($"The frame is {frame.Width}x{frame.Height}; the slot serves {slot.FrameWidth}x{slot.FrameHeight} frames.", nameof(frame));
        }

        var t0 = Stopwatch.GetTimestamp();
        var scratch = slot.FloatInput;
        Fill(slot.Binding, 0, frame, slot.Plan, ref scratch);
        slot.FloatInput = scratch;
        slot.Timings = new SegmentTimings(Stopwatch.GetElapsedTime(t0), TimeSpan.Zero, TimeSpan.Zero);
        slot.State = SegmentationSlotState.Prepared;
    }

    /// <summary>
    /// Runs the model on <paramref name="slot"/>'s prepared frame. Called by one thread at a time (like
    /// <see cref="Segment"/>, with which it must not overlap).
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot holds no prepared frame.</exception>
    public void Run(SegmentationSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireOwn(slot);
        RequireState(slot, SegmentationSlotState.Prepared, "run");
        var t0 = Stopwatch.GetTimestamp();
        Run(slot.Binding, 1);
        slot.Timings = slot.Timings with { Inference = Stopwatch.GetElapsedTime(t0) };
        slot.State = SegmentationSlotState.Ran;
    }

    /// <summary>
    /// Decodes <paramref name="slot"/>'s model outputs into <paramref name="destination"/> (as <see cref="Segment"/>
    /// does). Any thread (one per slot at a time); runs alongside the model's run on other slots.
    /// </summary>
    /// <param name="slot">A slot the model has run on.</param>
    /// <param name="destination">Receives appliance class indices; the slot's frame size.</param>
    /// <param name="confidence">Empty, or one float per pixel (see <see cref="Segment"/>).</param>
    /// <exception cref="InvalidOperationException">The model has not run on the slot.</exception>
    /// <exception cref="ArgumentException">The destination or confidence size differs from the slot's frames.</exception>
    public void Decode(SegmentationSlot slot, Mask destination, Span<float> confidence = default)
    {
        RequireOwn(slot);
        ArgumentNullException.ThrowIfNull(destination);
        RequireState(slot, SegmentationSlotState.Ran, "decode");
        if (destination.Width != slot.FrameWidth || destination.Height != slot.FrameHeight)
        {
            throw new ArgumentException(
                $"The destination mask is {destination.Width}x{destination.Height}; the slot serves {slot.FrameWidth}x{slot.FrameHeight} frames.", nameof(destination));
        }

        if (!confidence.IsEmpty && confidence.Length != destination.Pixels.Length)
        {
            throw new ArgumentException($"The confidence buffer has {confidence.Length} floats; the frame has {destination.Pixels.Length} pixels.", nameof(confidence));
        }

        var t0 = Stopwatch.GetTimestamp();
        DecodeOutputs(slot.Decoders, slot.Binding, 0, slot.Plan.Geometry, destination.Pixels, confidence);
        slot.Timings = slot.Timings with { Postprocess = Stopwatch.GetElapsedTime(t0) };
        slot.State = SegmentationSlotState.Decoded;
    }

    /// <summary>
    /// Takes <paramref name="slot"/> back, in whatever state (a frame dropped half-way returns its slot too). Thread-safe;
    /// after the segmenter is disposed the slot's tensors are released instead.
    /// </summary>
    public void ReturnSlot(SegmentationSlot slot)
    {
        RequireOwn(slot);
        lock (_slotLock)
        {
            if (_outstandingSlots == 0)
            {
                throw new InvalidOperationException("A slot was returned twice.");
            }

            _outstandingSlots--;
            if (!_disposed && _freeSlots.Count < MaxFreeSlots)
            {
                _freeSlots.Add(slot);
                return;
            }
        }

        slot.Binding.Dispose();
    }

    /// <summary>
    /// Releases the bound tensors and the model session. Slots still out may be decoded and returned afterwards (their
    /// tensors are released then), not run.
    /// </summary>
    public void Dispose()
    {
        lock (_slotLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var slot in _freeSlots)
            {
                slot.Binding.Dispose();
            }

            _freeSlots.Clear();
        }

        foreach (var binding in _bindings)
        {
            binding.Dispose();
        }

        _session.Dispose();
    }

    /// <summary>One decoder per output, with scratch of their own.</summary>
    private OutputDecoder[] NewDecoders() => [.. Card.Outputs.Select(o => new OutputDecoder(o))];

    private void RequireOwn(SegmentationSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (!ReferenceEquals(slot.Owner, this))
        {
            throw new ArgumentException($"The slot belongs to the segmenter of {slot.Owner.ModelPath}, not to this one ({ModelPath}).", nameof(slot));
        }
    }

    private static void RequireState(SegmentationSlot slot, SegmentationSlotState expected, string step)
    {
        if (slot.State != expected)
        {
            throw new InvalidOperationException($"Cannot {step} a slot that is {slot.State}; it must be {expected}.");
        }
    }

    private static TimeSpan Elapsed(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);

    private static (int Max, int Bind, bool Dynamic, string? Note) BatchLimits(TensorInfo input, int requested)
    {
        var batch = input.Shape[0];
        if (batch < 0)
        {
            return (requested, requested, true, null);
        }

        if (batch == 1)
        {
            return (1, 1, false, requested > 1
                ? $"Model input {input} has a fixed batch of 1: frames run one at a time (batch size {requested} asked for)."
                : null);
        }

        var max = (int)Math.Min(requested, batch);
        return (max, (int)batch, false, requested == batch
            ? null
            : $"Model input {input} has a fixed batch of {batch}: up to {max} frame(s) per run (batch size {requested} asked for); a smaller batch is padded to {batch}.");
    }

    /// <summary>Marks frame <paramref name="first"/> and the next untaken frames with the same input tensor size (up to a batch) as one group.</summary>
    private int Group(ReadOnlySpan<ImageBuffer> frames, int first)
    {
        var lead = PlanFor(frames[first].Width, frames[first].Height);
        _group[0] = first;
        _groupPlans[0] = lead;
        _taken[first] = true;
        var count = 1;
        for (var j = first + 1; j < frames.Length && count < MaxBatchSize; j++)
        {
            if (_taken[j])
            {
                continue;
            }

            var plan = PlanFor(frames[j].Width, frames[j].Height);
            if (plan.Geometry.TensorWidth == lead.Geometry.TensorWidth && plan.Geometry.TensorHeight == lead.Geometry.TensorHeight)
            {
                _group[count] = j;
                _groupPlans[count++] = plan;
                _taken[j] = true;
            }
        }

        return count;
    }

    private PreprocessPlan PlanFor(int width, int height)
    {
        for (var i = 0; i < _plans.Count; i++)
        {
            var plan = _plans[i];
            if (plan.Geometry.FrameWidth == width && plan.Geometry.FrameHeight == height)
            {
                return plan;
            }
        }

        if (_plans.Count == MaxFrameSizes)
        {
            _plans.RemoveAt(0);
        }

        var made = new PreprocessPlan(Card.Input, InputGeometry.For(Card.Input, width, height));
        _plans.Add(made);
        return made;
    }

    private IInferenceBinding BindingFor(InputGeometry geometry)
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            var shape = _bindings[i].InputShape;
            if (shape[2] == geometry.TensorHeight && shape[3] == geometry.TensorWidth)
            {
                return _bindings[i];
            }
        }

        if (_bindings.Count == MaxBindings)
        {
            _bindings[0].Dispose();
            _bindings.RemoveAt(0);
        }

        var binding = _session.Bind(Card.Input.Name, [_bindBatch, 3, geometry.TensorHeight, geometry.TensorWidth], _outputNames);
        _bindings.Add(binding);
        return binding;
    }

    /// <summary>Pre-processes <paramref name="frame"/> into image <paramref name="item"/> of the binding's input (float16 inputs staged in <paramref name="floatInput"/>).</summary>
    private static void Fill(IInferenceBinding binding, int item, ImageBuffer frame, PreprocessPlan plan, ref float[] floatInput)
    {
        var length = plan.TensorLength;
        if (binding.InputType == TensorElementType.Float16)
        {
            if (floatInput.Length < length)
            {
                floatInput = new float[length];
            }

            var floats = floatInput.AsSpan(0, length);
            Preprocess.Run(frame.Pixels, floats, plan);
            var half = binding.InputHalf.Slice(item * length, length);
            for (var i = 0; i < half.Length; i++)
            {
                half[i] = (Half)floats[i];
            }
        }
        else
        {
            Preprocess.Run(frame.Pixels, binding.InputFloat.Slice(item * length, length), plan);
        }
    }

    private void Run(IInferenceBinding binding, int count)
    {
        // A dynamic batch runs just the frames there are; a fixed batch always runs whole, the slots past count stale.
        if (_dynamicBatch)
        {
            binding.Run(count);
        }
        else
        {
            binding.Run();
        }
    }

    /// <summary>Decodes image <paramref name="item"/> of the last run into a mask, combining several outputs by precedence.</summary>
    private void DecodeOutputs(OutputDecoder[] decoders, IInferenceBinding binding, int item, InputGeometry geometry, Span<byte> mask, Span<float> confidence)
    {
        for (var k = 0; k < decoders.Length; k++)
        {
            var decoder = decoders[k];
            if (k == 0)
            {
                decoder.Decode(binding.GetOutput(k), item, geometry, Upsample, mask, confidence);
                continue;
            }

            decoder.EnsureScratch(mask.Length, !confidence.IsEmpty);
            var scratchMask = decoder.ScratchMask.AsSpan(0, mask.Length);
            var scratchConfidence = confidence.IsEmpty ? Span<float>.Empty : decoder.ScratchConfidence.AsSpan(0, mask.Length);
            decoder.Decode(binding.GetOutput(k), item, geometry, Upsample, scratchMask, scratchConfidence);
            Postprocess.Combine(mask, confidence, scratchMask, scratchConfidence, _rank);
        }
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
