using System.Runtime.InteropServices;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Native;

namespace EdgeSeg.OnnxRuntime;

/// <summary>
/// One input shape's tensors over pinned managed buffers (pinned object heap: they never move), and the native name
/// strings, all made once. The first run lets the runtime allocate the outputs to learn their shapes, copies them
/// into pinned buffers and binds those; every later run writes straight into them. Nothing is allocated per run.
/// Not thread-safe.
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

    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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

        return new OutputTensor(_outputTypes[index], _outputShapes[index], _outputBuffers[index]);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
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
}
