using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>
/// The entries of ONNX Runtime's <c>OrtApi</c> function table that EdgeSeg calls, read by index from
/// <c>OrtGetApiBase()->GetApi(ApiVersion)</c> (the table is append-only, so indices never move). The function
/// pointers are private: callers go through the wrapper methods, which pass every returned status through
/// <see cref="Check"/>, the one status gate.
/// </summary>
internal sealed unsafe partial class OrtApi
{
    /// <summary>The API version requested: ONNX Runtime 1.30.</summary>
    public const uint ApiVersion = 30;

    private static OrtApi? s_instance;

    // OrtErrorCode GetErrorCode(const OrtStatus* status)
    private readonly delegate* unmanaged<nint, int> _getErrorCode;

    // const char* GetErrorMessage(const OrtStatus* status)
    private readonly delegate* unmanaged<nint, byte*> _getErrorMessage;

    // OrtStatus* CreateEnv(OrtLoggingLevel log_severity_level, const char* logid, OrtEnv** out)
    private readonly delegate* unmanaged<int, byte*, nint*, nint> _createEnv;

    // OrtStatus* CreateSession(const OrtEnv* env, const ORTCHAR_T* model_path, const OrtSessionOptions* options, OrtSession** out)
    private readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> _createSession;

    // OrtStatus* Run(OrtSession* session, const OrtRunOptions* run_options, const char* const* input_names, const OrtValue* const* inputs, size_t input_len, const char* const* output_names, size_t output_names_len, OrtValue** outputs)
    private readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> _run;

    // OrtStatus* CreateSessionOptions(OrtSessionOptions** options)
    private readonly delegate* unmanaged<nint*, nint> _createSessionOptions;

    // OrtStatus* SetSessionLogSeverityLevel(OrtSessionOptions* options, int session_log_severity_level)
    private readonly delegate* unmanaged<nint, int, nint> _setSessionLogSeverityLevel;

    // OrtStatus* SetSessionGraphOptimizationLevel(OrtSessionOptions* options, GraphOptimizationLevel graph_optimization_level)
    private readonly delegate* unmanaged<nint, int, nint> _setSessionGraphOptimizationLevel;

    // OrtStatus* SetIntraOpNumThreads(OrtSessionOptions* options, int intra_op_num_threads)
    private readonly delegate* unmanaged<nint, int, nint> _setIntraOpNumThreads;

    // OrtStatus* SessionGetInputCount(const OrtSession* session, size_t* out)
    private readonly delegate* unmanaged<nint, nuint*, nint> _sessionGetInputCount;

    // OrtStatus* SessionGetOutputCount(const OrtSession* session, size_t* out)
    private readonly delegate* unmanaged<nint, nuint*, nint> _sessionGetOutputCount;

    // OrtStatus* SessionGetInputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    private readonly delegate* unmanaged<nint, nuint, nint*, nint> _sessionGetInputTypeInfo;

    // OrtStatus* SessionGetOutputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    private readonly delegate* unmanaged<nint, nuint, nint*, nint> _sessionGetOutputTypeInfo;

    // OrtStatus* SessionGetInputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    private readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> _sessionGetInputName;

    // OrtStatus* SessionGetOutputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    private readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> _sessionGetOutputName;

    // OrtStatus* CreateTensorWithDataAsOrtValue(const OrtMemoryInfo* info, void* p_data, size_t p_data_len, const int64_t* shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue** out)
    private readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> _createTensorWithDataAsOrtValue;

    // OrtStatus* GetTensorMutableData(OrtValue* value, void** out)
    private readonly delegate* unmanaged<nint, void**, nint> _getTensorMutableData;

    // OrtStatus* CastTypeInfoToTensorInfo(const OrtTypeInfo* type_info, const OrtTensorTypeAndShapeInfo** out)
    private readonly delegate* unmanaged<nint, nint*, nint> _castTypeInfoToTensorInfo;

    // OrtStatus* GetOnnxTypeFromTypeInfo(const OrtTypeInfo* type_info, enum ONNXType* out)
    private readonly delegate* unmanaged<nint, int*, nint> _getOnnxTypeFromTypeInfo;

    // OrtStatus* GetTensorElementType(const OrtTensorTypeAndShapeInfo* info, enum ONNXTensorElementDataType* out)
    private readonly delegate* unmanaged<nint, int*, nint> _getTensorElementType;

    // OrtStatus* GetDimensionsCount(const OrtTensorTypeAndShapeInfo* info, size_t* out)
    private readonly delegate* unmanaged<nint, nuint*, nint> _getDimensionsCount;

    // OrtStatus* GetDimensions(const OrtTensorTypeAndShapeInfo* info, int64_t* dim_values, size_t dim_values_length)
    private readonly delegate* unmanaged<nint, long*, nuint, nint> _getDimensions;

    // OrtStatus* GetSymbolicDimensions(const OrtTensorTypeAndShapeInfo* info, const char* dim_params[], size_t dim_params_length)
    private readonly delegate* unmanaged<nint, byte**, nuint, nint> _getSymbolicDimensions;

    // OrtStatus* GetTensorTypeAndShape(const OrtValue* value, OrtTensorTypeAndShapeInfo** out)
    private readonly delegate* unmanaged<nint, nint*, nint> _getTensorTypeAndShape;

    // OrtStatus* CreateCpuMemoryInfo(enum OrtAllocatorType type, enum OrtMemType mem_type, OrtMemoryInfo** out)
    private readonly delegate* unmanaged<int, int, nint*, nint> _createCpuMemoryInfo;

    // OrtStatus* AllocatorFree(OrtAllocator* ort_allocator, void* p)
    private readonly delegate* unmanaged<nint, void*, nint> _allocatorFree;

    // OrtStatus* GetAllocatorWithDefaultOptions(OrtAllocator** out)
    private readonly delegate* unmanaged<nint*, nint> _getAllocatorWithDefaultOptions;

    // void ReleaseEnv(OrtEnv* input)
    private readonly delegate* unmanaged<nint, void> _releaseEnv;

    // void ReleaseStatus(OrtStatus* input)
    private readonly delegate* unmanaged<nint, void> _releaseStatus;

    // void ReleaseMemoryInfo(OrtMemoryInfo* input)
    private readonly delegate* unmanaged<nint, void> _releaseMemoryInfo;

    // void ReleaseSession(OrtSession* input)
    private readonly delegate* unmanaged<nint, void> _releaseSession;

    // void ReleaseValue(OrtValue* input)
    private readonly delegate* unmanaged<nint, void> _releaseValue;

    // void ReleaseTypeInfo(OrtTypeInfo* input)
    private readonly delegate* unmanaged<nint, void> _releaseTypeInfo;

    // void ReleaseTensorTypeAndShapeInfo(OrtTensorTypeAndShapeInfo* input)
    private readonly delegate* unmanaged<nint, void> _releaseTensorTypeAndShapeInfo;

    // void ReleaseSessionOptions(OrtSessionOptions* input)
    private readonly delegate* unmanaged<nint, void> _releaseSessionOptions;

    // OrtStatus* SessionGetModelMetadata(const OrtSession* session, OrtModelMetadata** out)
    private readonly delegate* unmanaged<nint, nint*, nint> _sessionGetModelMetadata;

    // OrtStatus* ModelMetadataLookupCustomMetadataMap(const OrtModelMetadata* model_metadata, OrtAllocator* allocator, const char* key, char** value)
    private readonly delegate* unmanaged<nint, nint, byte*, byte**, nint> _modelMetadataLookupCustomMetadataMap;

    // void ReleaseModelMetadata(OrtModelMetadata* input)
    private readonly delegate* unmanaged<nint, void> _releaseModelMetadata;

    // OrtStatus* ModelMetadataGetCustomMetadataMapKeys(const OrtModelMetadata* model_metadata, OrtAllocator* allocator, char*** keys, int64_t* num_keys)
    private readonly delegate* unmanaged<nint, nint, byte***, long*, nint> _modelMetadataGetCustomMetadataMapKeys;

    // OrtStatus* GetAvailableProviders(char*** out_ptr, int* provider_length)
    private readonly delegate* unmanaged<byte***, int*, nint> _getAvailableProviders;

    // OrtStatus* ReleaseAvailableProviders(char** ptr, int providers_length)
    private readonly delegate* unmanaged<byte**, int, nint> _releaseAvailableProviders;

    // OrtStatus* SessionOptionsAppendExecutionProvider_TensorRT_V2(OrtSessionOptions* options, const OrtTensorRTProviderOptionsV2* tensorrt_options)
    private readonly delegate* unmanaged<nint, nint, nint> _sessionOptionsAppendExecutionProviderTensorRtV2;

    // OrtStatus* CreateTensorRTProviderOptions(OrtTensorRTProviderOptionsV2** out)
    private readonly delegate* unmanaged<nint*, nint> _createTensorRtProviderOptions;

    // OrtStatus* UpdateTensorRTProviderOptions(OrtTensorRTProviderOptionsV2* tensorrt_options, const char* const* provider_options_keys, const char* const* provider_options_values, size_t num_keys)
    private readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> _updateTensorRtProviderOptions;

    // void ReleaseTensorRTProviderOptions(OrtTensorRTProviderOptionsV2* input)
    private readonly delegate* unmanaged<nint, void> _releaseTensorRtProviderOptions;

    // OrtStatus* SessionOptionsAppendExecutionProvider_CUDA_V2(OrtSessionOptions* options, const OrtCUDAProviderOptionsV2* cuda_options)
    private readonly delegate* unmanaged<nint, nint, nint> _sessionOptionsAppendExecutionProviderCudaV2;

    // OrtStatus* CreateCUDAProviderOptions(OrtCUDAProviderOptionsV2** out)
    private readonly delegate* unmanaged<nint*, nint> _createCudaProviderOptions;

    // OrtStatus* UpdateCUDAProviderOptions(OrtCUDAProviderOptionsV2* cuda_options, const char* const* provider_options_keys, const char* const* provider_options_values, size_t num_keys)
    private readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> _updateCudaProviderOptions;

    // void ReleaseCUDAProviderOptions(OrtCUDAProviderOptionsV2* input)
    private readonly delegate* unmanaged<nint, void> _releaseCudaProviderOptions;

    /// <summary>Reads the entries from the table returned by <c>GetApi</c>.</summary>
    private OrtApi(nint* table)
    {
        _getErrorCode = (delegate* unmanaged<nint, int>)table[1];
        _getErrorMessage = (delegate* unmanaged<nint, byte*>)table[2];
        _createEnv = (delegate* unmanaged<int, byte*, nint*, nint>)table[3];
        _createSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[7];
        _run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)table[9];
        _createSessionOptions = (delegate* unmanaged<nint*, nint>)table[10];
        _setSessionLogSeverityLevel = (delegate* unmanaged<nint, int, nint>)table[22];
        _setSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)table[23];
        _setIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[24];
        _sessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[30];
        _sessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[31];
        _sessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[33];
        _sessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[34];
        _sessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[36];
        _sessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[37];
        _createTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[49];
        _getTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[51];
        _castTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[55];
        _getOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)table[56];
        _getTensorElementType = (delegate* unmanaged<nint, int*, nint>)table[60];
        _getDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[61];
        _getDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[62];
        _getSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)table[63];
        _getTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[65];
        _createCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[69];
        _allocatorFree = (delegate* unmanaged<nint, void*, nint>)table[76];
        _getAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[78];
        _releaseEnv = (delegate* unmanaged<nint, void>)table[92];
        _releaseStatus = (delegate* unmanaged<nint, void>)table[93];
        _releaseMemoryInfo = (delegate* unmanaged<nint, void>)table[94];
        _releaseSession = (delegate* unmanaged<nint, void>)table[95];
        _releaseValue = (delegate* unmanaged<nint, void>)table[96];
        _releaseTypeInfo = (delegate* unmanaged<nint, void>)table[98];
        _releaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[99];
        _releaseSessionOptions = (delegate* unmanaged<nint, void>)table[100];
        _sessionGetModelMetadata = (delegate* unmanaged<nint, nint*, nint>)table[111];
        _modelMetadataLookupCustomMetadataMap = (delegate* unmanaged<nint, nint, byte*, byte**, nint>)table[116];
        _releaseModelMetadata = (delegate* unmanaged<nint, void>)table[118];
        _modelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<nint, nint, byte***, long*, nint>)table[123];
        _getAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)table[125];
        _releaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)table[126];
        _sessionOptionsAppendExecutionProviderTensorRtV2 = (delegate* unmanaged<nint, nint, nint>)table[170];
        _createTensorRtProviderOptions = (delegate* unmanaged<nint*, nint>)table[171];
        _updateTensorRtProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)table[172];
        _releaseTensorRtProviderOptions = (delegate* unmanaged<nint, void>)table[174];
        _sessionOptionsAppendExecutionProviderCudaV2 = (delegate* unmanaged<nint, nint, nint>)table[204];
        _createCudaProviderOptions = (delegate* unmanaged<nint*, nint>)table[205];
        _updateCudaProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)table[206];
        _releaseCudaProviderOptions = (delegate* unmanaged<nint, void>)table[208];
    }

    /// <summary>The loaded table; OnnxRuntimeLibrary.Load must have run.</summary>
    public static OrtApi Instance => s_instance
        ?? throw new InvalidOperationException("ONNX Runtime is not loaded: call OnnxRuntimeLibrary.Load first.");

    /// <summary>True once a table is installed.</summary>
    public static bool IsInitialized => s_instance is not null;

    /// <summary>Installs the table read from <paramref name="table"/> (once per process).</summary>
    public static void Initialize(nint table) => s_instance ??= new OrtApi((nint*)table);

    /// <summary>
    /// The status gate: a null status is success; otherwise the code and message are copied, the status is released,
    /// and an <see cref="OnnxRuntimeException"/> naming <paramref name="function"/> is thrown.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Check(nint status, string function)
    {
        if (status != 0)
        {
            Throw(status, function);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Throw(nint status, string function)
    {
        int code;
        string message;
        try
        {
            code = _getErrorCode(status);
            message = Marshal.PtrToStringUTF8((nint)_getErrorMessage(status)) ?? string.Empty;
        }
        finally
        {
            _releaseStatus(status);
        }

        throw new OnnxRuntimeException((OnnxRuntimeErrorCode)code, function, message);
    }
}
