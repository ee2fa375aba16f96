using System.Runtime.InteropServices;
using System.Text;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Environment, session options, sessions, names, type information and metadata.</summary>
internal sealed unsafe partial class OrtApi
{
    public OrtEnvHandle CreateEnv(int loggingLevel, string logId)
    {
        nint env;
        fixed (byte* id = Utf8(logId))
        {
            Check(_createEnv(loggingLevel, id, &env), "CreateEnv");
        }

        return new OrtEnvHandle(env);
    }

    public OrtSessionOptionsHandle CreateSessionOptions()
    {
        nint options;
        Check(_createSessionOptions(&options), "CreateSessionOptions");
        return new OrtSessionOptionsHandle(options);
    }

    public void SetSessionLogSeverityLevel(OrtSessionOptionsHandle options, int level)
    {
        Check(_setSessionLogSeverityLevel(options.DangerousGetHandle(), level), "SetSessionLogSeverityLevel");
        GC.KeepAlive(options);
    }

    public void SetSessionGraphOptimizationLevel(OrtSessionOptionsHandle options, int level)
    {
        Check(_setSessionGraphOptimizationLevel(options.DangerousGetHandle(), level), "SetSessionGraphOptimizationLevel");
        GC.KeepAlive(options);
    }

    public void SetIntraOpNumThreads(OrtSessionOptionsHandle options, int threads)
    {
        Check(_setIntraOpNumThreads(options.DangerousGetHandle(), threads), "SetIntraOpNumThreads");
        GC.KeepAlive(options);
    }

    public OrtSessionHandle CreateSession(OrtEnvHandle env, string modelPath, OrtSessionOptionsHandle options)
    {
        nint session;
        fixed (byte* path = Utf8(modelPath))
        {
            Check(_createSession(env.DangerousGetHandle(), path, options.DangerousGetHandle(), &session), "CreateSession");
        }

        GC.KeepAlive(env);
        GC.KeepAlive(options);
        return new OrtSessionHandle(session);
    }

    public int SessionGetInputCount(OrtSessionHandle session)
    {
        nuint count;
        Check(_sessionGetInputCount(session.DangerousGetHandle(), &count), "SessionGetInputCount");
        GC.KeepAlive(session);
        return checked((int)count);
    }

    public int SessionGetOutputCount(OrtSessionHandle session)
    {
        nuint count;
        Check(_sessionGetOutputCount(session.DangerousGetHandle(), &count), "SessionGetOutputCount");
        GC.KeepAlive(session);
        return checked((int)count);
    }

    public string SessionGetInputName(OrtSessionHandle session, int index)
    {
        var allocator = GetAllocatorWithDefaultOptions();
        byte* name;
        Check(_sessionGetInputName(session.DangerousGetHandle(), (nuint)index, allocator, &name), "SessionGetInputName");
        GC.KeepAlive(session);
        return TakeString(allocator, name);
    }

    public string SessionGetOutputName(OrtSessionHandle session, int index)
    {
        var allocator = GetAllocatorWithDefaultOptions();
        byte* name;
        Check(_sessionGetOutputName(session.DangerousGetHandle(), (nuint)index, allocator, &name), "SessionGetOutputName");
        GC.KeepAlive(session);
        return TakeString(allocator, name);
    }

    public OrtTypeInfoHandle SessionGetInputTypeInfo(OrtSessionHandle session, int index)
    {
        nint info;
        Check(_sessionGetInputTypeInfo(session.DangerousGetHandle(), (nuint)index, &info), "SessionGetInputTypeInfo");
        GC.KeepAlive(session);
        return new OrtTypeInfoHandle(info);
    }

    public OrtTypeInfoHandle SessionGetOutputTypeInfo(OrtSessionHandle session, int index)
    {
        nint info;
        Check(_sessionGetOutputTypeInfo(session.DangerousGetHandle(), (nuint)index, &info), "SessionGetOutputTypeInfo");
        GC.KeepAlive(session);
        return new OrtTypeInfoHandle(info);
    }

    /// <summary>
    /// The tensor element type, dimensions (-1 where unknown) and symbolic names of a type info; null type when the
    /// value is not a tensor.
    /// </summary>
    public (OnnxElementType? Type, long[] Shape, string[] Symbolic) ReadTensorType(OrtTypeInfoHandle typeInfo)
    {
        var p = typeInfo.DangerousGetHandle();
        int onnxType;
        Check(_getOnnxTypeFromTypeInfo(p, &onnxType), "GetOnnxTypeFromTypeInfo");
        if (onnxType != 1)
        {
            GC.KeepAlive(typeInfo);
            return (null, [], []);
        }

        // The tensor info belongs to the type info: valid while typeInfo is alive, never released on its own.
        nint tensorInfo;
        Check(_castTypeInfoToTensorInfo(p, &tensorInfo), "CastTypeInfoToTensorInfo");
        var result = ReadShapeInfo(tensorInfo, withSymbolic: true);
        GC.KeepAlive(typeInfo);
        return result;
    }

    public Dictionary<string, string> ReadCustomMetadata(OrtSessionHandle session)
    {
        nint metadata;
        Check(_sessionGetModelMetadata(session.DangerousGetHandle(), &metadata), "SessionGetModelMetadata");
        GC.KeepAlive(session);
        using var handle = new OrtModelMetadataHandle(metadata);
        var allocator = GetAllocatorWithDefaultOptions();
        byte** keys;
        long count;
        Check(_modelMetadataGetCustomMetadataMapKeys(metadata, allocator, &keys, &count), "ModelMetadataGetCustomMetadataMapKeys");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys == null)
        {
            return result;
        }

        try
        {
            for (long i = 0; i < count; i++)
            {
                byte* value;
                Check(_modelMetadataLookupCustomMetadataMap(metadata, allocator, keys[i], &value), "ModelMetadataLookupCustomMetadataMap");
                var key = Marshal.PtrToStringUTF8((nint)keys[i]) ?? string.Empty;
                if (value != null)
                {
                    result[key] = TakeString(allocator, value);
                }
            }
        }
        finally
        {
            for (long i = 0; i < count; i++)
            {
                Check(_allocatorFree(allocator, keys[i]), "AllocatorFree");
            }

            Check(_allocatorFree(allocator, keys), "AllocatorFree");
        }

        return result;
    }

    public string[] GetAvailableProviders()
    {
        byte** names;
        int count;
        Check(_getAvailableProviders(&names, &count), "GetAvailableProviders");
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? string.Empty;
            }

            return result;
        }
        finally
        {
            Check(_releaseAvailableProviders(names, count), "ReleaseAvailableProviders");
        }
    }

    private nint GetAllocatorWithDefaultOptions()
    {
        // The default allocator is owned by the runtime and never released.
        nint allocator;
        Check(_getAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        return allocator;
    }

    private string TakeString(nint allocator, byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)value) ?? string.Empty;
        }
        finally
        {
            Check(_allocatorFree(allocator, value), "AllocatorFree");
        }
    }

    private (OnnxElementType? Type, long[] Shape, string[] Symbolic) ReadShapeInfo(nint tensorInfo, bool withSymbolic)
    {
        int elementType;
        Check(_getTensorElementType(tensorInfo, &elementType), "GetTensorElementType");
        nuint rank;
        Check(_getDimensionsCount(tensorInfo, &rank), "GetDimensionsCount");
        var shape = new long[(int)rank];
        var symbolic = new string[(int)rank];
        fixed (long* dims = shape)
        {
            Check(_getDimensions(tensorInfo, dims, rank), "GetDimensions");
        }

        if (withSymbolic && rank > 0)
        {
            var names = new nint[(int)rank];
            fixed (nint* p = names)
            {
                Check(_getSymbolicDimensions(tensorInfo, (byte**)p, rank), "GetSymbolicDimensions");
            }

            for (var i = 0; i < names.Length; i++)
            {
                symbolic[i] = names[i] == 0 ? string.Empty : Marshal.PtrToStringUTF8(names[i]) ?? string.Empty;
            }
        }
        else
        {
            Array.Fill(symbolic, string.Empty);
        }

        return ((OnnxElementType)elementType, shape, symbolic);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
