using System.Runtime.InteropServices;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Legacy.Native;

namespace EdgeSeg.OnnxRuntime.Legacy;

/// <summary>
/// One input shape's tensors over pinned managed buffers (pinned object heap: they never move), and the native name
/// strings, all made once. The first run lets the runtime allocate the outputs to learn their shapes, copies them
/// into pinned buffers and binds those; every later run writes straight into them. A run on fewer images than the
/// batch dimension (<see cref="Run(int)"/>) goes through tensors over the leading part of the same buffers (NCHW: the
/// first k images are a prefix), made once per batch count. Nothing is allocated per run. Not thread-safe.
/// </summary>
internal sealed unsafe class OnnxRuntimeBinding : IInferenceBinding
{
    private readonly OnnxRuntimeSession _owner;
    private readonly long[] _inputShape;
    private readonly float[] _inputFloat = [];
    private readonly Half[] _inputHalf = [];
    private readonly OrtValueHandle _inputValue;
    private readonly string[] _outputNameStrings;

    // Raw pointer arrays handed to Run, on the pinned heap so taking their address costs nothing.
    private readonly nint[] _inputNames = GC.AllocateArray<nint>(1, pinned: true);
    private readonly nint[] _inputValues = GC.AllocateArray<nint>(1, pinned: true);
    private readonly nint[] _outputNames;
    private readonly nint[] _outputValues;
    private readonly OrtValueHandle?[] _outputHandles;
    private readonly byte[][] _outputBuffers;
    private readonly long[][] _outputShapes;
    private readonly TensorElementType[] _outputTypes;
    private readonly OnnxElementType[] _outputNativeTypes;
    private readonly BatchView?[] _views;
    private int _lastBatch;
    private bool _outputsBound;
    private bool _disposed;

    public OnnxRuntimeBinding(OnnxRuntimeSession owner, TensorInfo input, long[] inputShape, IReadOnlyList<string> outputNames)
    {
        _owner = owner;
        _inputShape = inputShape;
        _outputNameStrings = [.. outputNames];
        var count = outputNames.Count;
        _outputNames = GC.AllocateArray<nint>(count, pinned: true);
        _outputValues = GC.AllocateArray<nint>(count, pinned: true);
        _outputHandles = new OrtValueHandle?[count];
        _outputBuffers = new byte[count][];
        _outputShapes = new long[count][];
        _outputTypes = new TensorElementType[count];
        _outputNativeTypes = new OnnxElementType[count];
        _views = new BatchView?[Math.Max(1, (int)inputShape[0])];
        _lastBatch = (int)inputShape[0];
        InputType = input.ElementType;
        var elements = checked((int)inputShape.Aggregate(1L, (a, b) => a * b));
        var api = OrtApi.Instance;
        try
        {
            switch (InputType)
            {
                case TensorElementType.Float32:
                    _inputFloat = GC.AllocateArray<float>(elements, pinned: true);
                    fixed (float* p = _inputFloat)
                    {
                        _inputValue = api.CreateTensorWithData(owner.MemoryInfo, p, (long)elements * sizeof(float), inputShape, OnnxElementType.Float);
                    }

                    break;
                case TensorElementType.Float16:
                    _inputHalf = GC.AllocateArray<Half>(elements, pinned: true);
                    fixed (Half* p = _inputHalf)
                    {
                        _inputValue = api.CreateTensorWithData(owner.MemoryInfo, p, (long)elements * sizeof(Half), inputShape, OnnxElementType.Float16);
                    }

                    break;
                default:
                    throw new NotSupportedException($"Input '{input.Name}' is {input.ElementType}; only float32 and float16 inputs can be fed.");
            }

            _inputValues[0] = _inputValue.DangerousGetHandle();
            _inputNames[0] = Marshal.StringToCoTaskMemUTF8(input.Name);
            for (var i = 0; i < count; i++)
            {
                _outputNames[i] = Marshal.StringToCoTaskMemUTF8(outputNames[i]);
            }
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

    public int OutputCount => _outputValues.Length;

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
            RunView(_views[batch] ??= new BatchView(this, batch));
        }

        _lastBatch = batch;
    }

    private void RunView(BatchView view)
    {
        var api = OrtApi.Instance;
        fixed (nint* inNames = _inputNames)
        fixed (nint* inValues = view.InputValues)
        fixed (nint* outNames = _outputNames)
        fixed (nint* outValues = view.OutputValues)
        {
            api.Run(_owner.Handle, inNames, inValues, 1, outNames, outValues, OutputCount);
        }

        GC.KeepAlive(view);
    }

    private void RunFull()
    {
        var api = OrtApi.Instance;
        fixed (nint* inNames = _inputNames)
        fixed (nint* inValues = _inputValues)
        fixed (nint* outNames = _outputNames)
        fixed (nint* outValues = _outputValues)
        {
            if (_outputsBound)
            {
                api.Run(_owner.Handle, inNames, inValues, 1, outNames, outValues, OutputCount);
            }
            else
            {
                BindOutputs(api, inNames, inValues, outNames);
            }
        }

        GC.KeepAlive(_inputValue);
        GC.KeepAlive(_outputHandles);
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

        foreach (var handle in _outputHandles)
        {
            handle?.Dispose();
        }

        _inputValue?.Dispose();
        foreach (var name in _inputNames.Concat(_outputNames))
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    private void BindOutputs(OrtApi api, nint* inNames, nint* inValues, nint* outNames)
    {
        var count = OutputCount;
        var produced = stackalloc nint[count];
        new Span<nint>(produced, count).Clear();
        api.Run(_owner.Handle, inNames, inValues, 1, outNames, produced, count);
        var owned = new OrtValueHandle[count];
        for (var i = 0; i < count; i++)
        {
            owned[i] = new OrtValueHandle(produced[i]);
        }

        try
        {
            for (var i = 0; i < count; i++)
            {
                var (type, shape) = api.GetTensorTypeAndShape(owned[i]);
                var elementSize = type switch
                {
                    OnnxElementType.Float or OnnxElementType.Int32 => 4,
                    OnnxElementType.Float16 => 2,
                    OnnxElementType.Int64 => 8,
                    OnnxElementType.UInt8 => 1,
                    _ => throw new NotSupportedException($"Output '{_outputNameStrings[i]}' has element type {type}, which the segmenter does not read."),
                };
                var bytes = checked((int)(shape.Aggregate(1L, (a, b) => a * b) * elementSize));
                var buffer = GC.AllocateArray<byte>(bytes, pinned: true);
                new ReadOnlySpan<byte>(api.GetTensorMutableData(owned[i]), bytes).CopyTo(buffer);
                fixed (byte* p = buffer)
                {
                    _outputHandles[i] = api.CreateTensorWithData(_owner.MemoryInfo, p, bytes, shape, type);
                }

                _outputValues[i] = _outputHandles[i]!.DangerousGetHandle();
                _outputBuffers[i] = buffer;
                _outputShapes[i] = shape;
                _outputTypes[i] = OnnxRuntimeSession.Map(type);
                _outputNativeTypes[i] = type;
            }

            _outputsBound = true;
        }
        finally
        {
            foreach (var handle in owned)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>The tensors of a run on the first <c>Count</c> images: views over the leading part of the binding's buffers.</summary>
    private sealed class BatchView : IDisposable
    {
        private readonly OrtValueHandle _input;
        private readonly OrtValueHandle[] _outputs;

        public BatchView(OnnxRuntimeBinding owner, int count)
        {
            var api = OrtApi.Instance;
            var capacity = owner.BatchCapacity;
            var outputs = owner.OutputCount;
            InputValues = GC.AllocateArray<nint>(1, pinned: true);
            OutputValues = GC.AllocateArray<nint>(outputs, pinned: true);
            OutputShapes = new long[outputs][];
            OutputBytes = new int[outputs];
            _outputs = new OrtValueHandle[outputs];
            var inputShape = (long[])owner._inputShape.Clone();
            inputShape[0] = count;
            var perImage = owner._inputFloat.Length + owner._inputHalf.Length;
            var elements = perImage / capacity * count;
            try
            {
                if (owner.InputType == TensorElementType.Float32)
                {
                    fixed (float* p = owner._inputFloat)
                    {
                        _input = api.CreateTensorWithData(owner._owner.MemoryInfo, p, (long)elements * sizeof(float), inputShape, OnnxElementType.Float);
                    }
                }
                else
                {
                    fixed (Half* p = owner._inputHalf)
                    {
                        _input = api.CreateTensorWithData(owner._owner.MemoryInfo, p, (long)elements * sizeof(Half), inputShape, OnnxElementType.Float16);
                    }
                }

                InputValues[0] = _input.DangerousGetHandle();
                for (var i = 0; i < outputs; i++)
                {
                    var full = owner._outputShapes[i];
                    if (full.Length == 0 || full[0] != capacity)
                    {
                        throw new NotSupportedException(
                            $"Output '{owner._outputNameStrings[i]}' has shape [{string.Join(", ", full)}]: its leading dimension is not the input's batch of {capacity}, so it cannot run a smaller batch.");
                    }

                    var shape = (long[])full.Clone();
                    shape[0] = count;
                    var bytes = owner._outputBuffers[i].Length / capacity * count;
                    fixed (byte* p = owner._outputBuffers[i])
                    {
                        _outputs[i] = api.CreateTensorWithData(owner._owner.MemoryInfo, p, bytes, shape, owner._outputNativeTypes[i]);
                    }

                    OutputValues[i] = _outputs[i].DangerousGetHandle();
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

        public nint[] InputValues { get; }

        public nint[] OutputValues { get; }

        public long[][] OutputShapes { get; }

        public int[] OutputBytes { get; }

        public void Dispose()
        {
            _input?.Dispose();
            foreach (var output in _outputs)
            {
                output?.Dispose();
            }
        }
    }
}
