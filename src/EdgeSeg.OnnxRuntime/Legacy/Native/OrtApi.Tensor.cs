namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Memory info, tensors over caller memory, and Run.</summary>
internal sealed unsafe partial class OrtApi
{
    // OrtAllocatorType: OrtArenaAllocator = 1. OrtMemType: OrtMemTypeDefault = 0.
    private const int OrtArenaAllocator = 1;
    private const int OrtMemTypeDefault = 0;

    public OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        nint info;
        Check(_createCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &info), "CreateCpuMemoryInfo");
        return new OrtMemoryInfoHandle(info);
    }

    /// <summary>A tensor over <paramref name="data"/>, which is not copied: it must stay pinned until the value is released.</summary>
    public OrtValueHandle CreateTensorWithData(OrtMemoryInfoHandle memoryInfo, void* data, long byteCount, ReadOnlySpan<long> shape, OnnxElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Check(
                _createTensorWithDataAsOrtValue(memoryInfo.DangerousGetHandle(), data, (nuint)byteCount, dims, (nuint)shape.Length, (int)type, &value),
                "CreateTensorWithDataAsOrtValue");
        }

        GC.KeepAlive(memoryInfo);
        return new OrtValueHandle(value);
    }

    public void* GetTensorMutableData(OrtValueHandle value)
    {
        void* data;
        Check(_getTensorMutableData(value.DangerousGetHandle(), &data), "GetTensorMutableData");
        GC.KeepAlive(value);
        return data;
    }

    /// <summary>Element type and shape of a tensor value.</summary>
    public (OnnxElementType Type, long[] Shape) GetTensorTypeAndShape(OrtValueHandle value)
    {
        nint info;
        Check(_getTensorTypeAndShape(value.DangerousGetHandle(), &info), "GetTensorTypeAndShape");
        GC.KeepAlive(value);
        using var handle = new OrtTensorTypeAndShapeInfoHandle(info);
        var (type, shape, _) = ReadShapeInfo(info, withSymbolic: false);
        return (type!.Value, shape);
    }

    /// <summary>
    /// Runs the session. The arrays are raw native pointers owned by the caller, which keeps their owners alive;
    /// a zero entry in <paramref name="outputs"/> asks the runtime to allocate that output (and the caller then owns it).
    /// </summary>
    public void Run(OrtSessionHandle session, nint* inputNames, nint* inputs, int inputCount, nint* outputNames, nint* outputs, int outputCount)
    {
        Check(_run(session.DangerousGetHandle(), 0, inputNames, inputs, (nuint)inputCount, outputNames, (nuint)outputCount, outputs), "Run");
        GC.KeepAlive(session);
    }
}
