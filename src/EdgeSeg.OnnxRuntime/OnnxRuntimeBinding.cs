using EdgeSeg.Core.Segmentation;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeSeg.OnnxRuntime;

/// <summary>
/// One input shape's tensors over pinned managed buffers (pinned object heap: they never move), bound once to an
/// <see cref="Ort.OrtIoBinding"/>. The first run lets the runtime allocate the outputs to learn their shapes, copies
/// them into pinned buffers and binds those; every later run is <see cref="Ort.InferenceSession.RunWithBinding"/>
/// writing straight into them. A run on fewer images than the batch dimension (<see cref="Run(int)"/>) goes through its
/// own binding over the leading part of the same buffers (NCHW: the first k images are a prefix), made once per batch
/// count. Nothing is allocated per run. Not thread-safe.
/// </summary>
internal sealed unsafe class OnnxRuntimeBinding : IInferenceBinding
{
    private readonly OnnxRuntimeSession _owner;
    private readonly string _inputName;
    private readonly long[] _inputShape;
    private readonly float[] _inputFloat = [];
    private readonly Half[] _inputHalf = [];
    private readonly string[] _outputNames;
    private readonly Ort.RunOptions _runOptions = new();
    private readonly Ort.OrtIoBinding _io;
    private readonly Ort.OrtValue _inputValue = null!;
    private readonly Ort.OrtValue?[] _outputValues;
    private readonly byte[][] _outputBuffers;
    private readonly long[][] _outputShapes;
    private readonly TensorElementType[] _outputTypes;
    private readonly Ort.Tensors.TensorElementType[] _outputNativeTypes;
    private readonly BatchView?[] _views;
    private int _lastBatch;
    private bool _outputsBound;
    private bool _disposed;

    public OnnxRuntimeBinding(OnnxRuntimeSession owner, TensorInfo input, long[] inputShape, IReadOnlyList<string> outputNames)
    {
        _owner = owner;
        _inputName = input.Name;
        _inputShape = inputShape;
        _outputNames = [.. outputNames];
        var count = outputNames.Count;
        _outputValues = new Ort.OrtValue?[count];
        _outputBuffers = new byte[count][];
        _outputShapes = new long[count][];
        _outputTypes = new TensorElementType[count];
        _outputNativeTypes = new Ort.Tensors.TensorElementType[count];
        _views = new BatchView?[Math.Max(1, (int)inputShape[0])];
        _lastBatch = (int)inputShape[0];
        InputType = input.ElementType;
        _io = owner.Native.CreateIoBinding();
        var elements = checked((int)inputShape.Aggregate(1L, (a, b) => a * b));
        try
        {
            switch (InputType)
            {
                case TensorElementType.Float32:
                    _inputFloat = GC.AllocateArray<float>(elements, pinned: true);
                    _inputValue = Over(_inputFloat, elements, inputShape);
                    break;
                case TensorElementType.Float16:
                    _inputHalf = GC.AllocateArray<Half>(elements, pinned: true);
                    _inputValue = Over(_inputHalf, elements, inputShape);
                    break;
                default:
                    throw new NotSupportedException($"Input '{input.Name}' is {input.ElementType}; only float32 and float16 inputs can be fed.");
            }

            _io.BindInput(_inputName, _inputValue);
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            Dispose();
            throw OnnxRuntimeException.From(ex, "BindInput");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TensorElementType InputType { get; }

    public ReadOnlySpan<long> InputShape => _inputShape;

    public Span<float> InputFloat => _inputFloat;

    public Span<Half> InputHalf => _inputHalf;

    public int OutputCount => _outputNames.Length;

    public int BatchCapacity => (int)_inputShape[0];

    public void Run() => Run(BatchCapacity);

    public void Run(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, BatchCapacity);
        if (batch == BatchCapacity || !_outputsBound)
        {
            // The first run is always a full one: it learns the output shapes the views are cut from.
            RunFull();
        }

        if (batch < BatchCapacity)
        {
            var view = _views[batch] ??= new BatchView(this, batch);
            Execute(view.Io, "RunWithBinding");
        }

        _lastBatch = batch;
    }

    public OutputTensor GetOutput(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)OutputCount, nameof(index));
        if (!_outputsBound)
        {
            throw new InvalidOperationException("The binding has not run yet: call Run first.");
        }

        if (_lastBatch == BatchCapacity)
        {
            return new OutputTensor(_outputTypes[index], _outputShapes[index], _outputBuffers[index]);
        }

        var view = _views[_lastBatch]!;
        return new OutputTensor(_outputTypes[index], view.OutputShapes[index], _outputBuffers[index].AsSpan(0, view.OutputBytes[index]));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var view in _views)
        {
            view?.Dispose();
        }

        _io?.Dispose();
        foreach (var value in _outputValues)
        {
            value?.Dispose();
        }

        _inputValue?.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>A tensor over the first <paramref name="elements"/> of a pinned array (the runtime reads and writes it in place).</summary>
    private static Ort.OrtValue Over<T>(T[] pinned, long elements, long[] shape)
        where T : unmanaged
    {
        var type = typeof(T) == typeof(float) ? Ort.Tensors.TensorElementType.Float
            : typeof(T) == typeof(Half) ? Ort.Tensors.TensorElementType.Float16
            : Ort.Tensors.TensorElementType.UInt8;
        return Over(pinned, elements * sizeof(T), shape, type);
    }

    private static Ort.OrtValue Over<T>(T[] pinned, long bytes, long[] shape, Ort.Tensors.TensorElementType type)
        where T : unmanaged
    {
        // The array is on the pinned object heap, so its address stays valid for the life of the tensor.
        fixed (T* p = pinned)
        {
            return Ort.OrtValue.CreateTensorValueWithData(Ort.OrtMemoryInfo.DefaultInstance, type, shape, (nint)p, bytes);
        }
    }

    private void Execute(Ort.OrtIoBinding io, string call)
    {
        try
        {
            _owner.Native.RunWithBinding(_runOptions, io);
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            throw OnnxRuntimeException.From(ex, call);
        }
    }

    private void RunFull()
    {
        if (_outputsBound)
        {
            Execute(_io, "RunWithBinding");
            return;
        }

        try
        {
            BindOutputs();
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            throw OnnxRuntimeException.From(ex, "BindOutput");
        }
    }

    /// <summary>The first run: the runtime allocates the outputs, and their shapes size the pinned buffers bound from then on.</summary>
    private void BindOutputs()
    {
        foreach (var name in _outputNames)
        {
            _io.BindOutputToDevice(name, Ort.OrtMemoryInfo.DefaultInstance);
        }

        Execute(_io, "RunWithBinding");
        using (var produced = _io.GetOutputValues())
        {
            for (var i = 0; i < OutputCount; i++)
            {
                var info = produced[i].GetTensorTypeAndShape();
                var type = info.ElementDataType;
                var elementSize = type switch
                {
                    Ort.Tensors.TensorElementType.Float or Ort.Tensors.TensorElementType.Int32 => 4,
                    Ort.Tensors.TensorElementType.Float16 => 2,
                    Ort.Tensors.TensorElementType.Int64 => 8,
                    Ort.Tensors.TensorElementType.UInt8 => 1,
                    _ => throw new NotSupportedException($"Output '{_outputNames[i]}' has element type {type}, which the segmenter does not read."),
                };
                var shape = info.Shape;
                var bytes = checked((int)(shape.Aggregate(1L, (a, b) => a * b) * elementSize));
                var buffer = GC.AllocateArray<byte>(bytes, pinned: true);
                produced[i].GetTensorMutableRawData()[..bytes].CopyTo(buffer);
                _outputValues[i] = Over(buffer, bytes, shape, type);
                _outputBuffers[i] = buffer;
                _outputShapes[i] = shape;
                _outputTypes[i] = OnnxRuntimeSession.Map(type);
                _outputNativeTypes[i] = type;
            }
        }

        _io.ClearBoundOutputs();
        for (var i = 0; i < OutputCount; i++)
        {
            _io.BindOutput(_outputNames[i], _outputValues[i]!);
        }

        _outputsBound = true;
    }

    /// <summary>The binding of a run on the first <c>Count</c> images: tensors over the leading part of the owner's buffers.</summary>
    private sealed class BatchView : IDisposable
    {
        private readonly Ort.OrtValue? _input;
        private readonly Ort.OrtValue?[] _outputs;

        public BatchView(OnnxRuntimeBinding owner, int count)
        {
            var capacity = owner.BatchCapacity;
            var outputs = owner.OutputCount;
            OutputShapes = new long[outputs][];
            OutputBytes = new int[outputs];
            _outputs = new Ort.OrtValue?[outputs];
            Io = owner._owner.Native.CreateIoBinding();
            var inputShape = (long[])owner._inputShape.Clone();
            inputShape[0] = count;
            var perImage = (owner._inputFloat.Length + owner._inputHalf.Length) / capacity;
            try
            {
                _input = owner.InputType == TensorElementType.Float32
                    ? Over(owner._inputFloat, (long)perImage * count, inputShape)
                    : Over(owner._inputHalf, (long)perImage * count, inputShape);
                Io.BindInput(owner._inputName, _input);
                for (var i = 0; i < outputs; i++)
                {
                    var full = owner._outputShapes[i];
                    if (full.Length == 0 || full[0] != capacity)
                    {
                        throw new NotSupportedException(
                            $"Output '{owner._outputNames[i]}' has shape [{string.Join(", ", full)}]: its leading dimension is not the input's batch of {capacity}, so it cannot run a smaller batch.");
                    }

                    var shape = (long[])full.Clone();
                    shape[0] = count;
                    var bytes = owner._outputBuffers[i].Length / capacity * count;
                    _outputs[i] = Over(owner._outputBuffers[i], bytes, shape, owner._outputNativeTypes[i]);
                    Io.BindOutput(owner._outputNames[i], _outputs[i]!);
                    OutputShapes[i] = shape;
                    OutputBytes[i] = bytes;
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public Ort.OrtIoBinding Io { get; }

        public long[][] OutputShapes { get; }

        public int[] OutputBytes { get; }

        public void Dispose()
        {
            Io.Dispose();
            _input?.Dispose();
            foreach (var output in _outputs)
            {
                output?.Dispose();
            }
        }
    }
}
