using System.Globalization;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Legacy.Native;

namespace EdgeSeg.OnnxRuntime.Legacy;

/// <summary>An ONNX Runtime session with its model's signature and the provider that won. Thread-safe (Run is).</summary>
internal sealed class OnnxRuntimeSession : IInferenceSession
{
    private readonly OrtSessionHandle _session;
    private readonly OrtMemoryInfoHandle _memoryInfo;

    private OnnxRuntimeSession(OrtSessionHandle session, ExecutionProviderReport providers)
    {
        var api = OrtApi.Instance;
        _session = session;
        Providers = providers;
        _memoryInfo = api.CreateCpuMemoryInfo();
        Inputs = [.. Enumerable.Range(0, api.SessionGetInputCount(session)).Select(i => Describe(api.SessionGetInputName(session, i), api.SessionGetInputTypeInfo(session, i)))];
        Outputs = [.. Enumerable.Range(0, api.SessionGetOutputCount(session)).Select(i => Describe(api.SessionGetOutputName(session, i), api.SessionGetOutputTypeInfo(session, i)))];
        Metadata = api.ReadCustomMetadata(session);
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public ExecutionProviderReport Providers { get; }

    internal OrtSessionHandle Handle => _session;

    internal OrtMemoryInfoHandle MemoryInfo => _memoryInfo;

    /// <summary>
    /// Opens the model with the first provider of <see cref="InferenceOptions.Providers"/> that works. A GPU provider
    /// that fails (its library is missing, no device, ...) is skipped with the runtime's message; a failure with the
    /// CPU provider is the model's fault and is thrown.
    /// </summary>
    public static OnnxRuntimeSession Open(string modelPath, InferenceOptions options)
    {
        var api = OrtApi.Instance;
        var attempts = new List<ProviderAttempt>();
        var requested = options.Providers.Select(p => p.Trim().ToLowerInvariant()).ToList();
        if (requested.Count == 0)
        {
            requested.Add("cpu");
        }

        OnnxRuntimeException? last = null;
        for (var i = 0; i < requested.Count; i++)
        {
            var provider = requested[i];
            if (provider is not ("tensorrt" or "cuda" or "cpu"))
            {
                attempts.Add(new ProviderAttempt(provider, false, "unknown provider; expected tensorrt, cuda or cpu"));
                continue;
            }

            using var sessionOptions = CreateSessionOptions(options);
            OrtSessionHandle session;
            try
            {
                if (provider == "tensorrt")
                {
                    AppendTensorRt(sessionOptions, options);

                    // Nodes TensorRT cannot take go to CUDA rather than the CPU when CUDA is also preferred.
                    if (requested.Skip(i + 1).Contains("cuda"))
                    {
                        AppendCuda(sessionOptions, options);
                    }
                }
                else if (provider == "cuda")
                {
                    AppendCuda(sessionOptions, options);
                }

                session = api.CreateSession(OnnxRuntimeLibrary.Env, modelPath, sessionOptions);
            }
            catch (OnnxRuntimeException ex) when (provider != "cpu")
            {
                attempts.Add(new ProviderAttempt(provider, false, $"{ex.Function}: {ex.NativeMessage.Trim()}"));
                last = ex;
                continue;
            }

            attempts.Add(new ProviderAttempt(provider, true, null));
            try
            {
                return new OnnxRuntimeSession(session, new ExecutionProviderReport(provider, attempts));
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        throw new OnnxRuntimeException(
            $"No execution provider could open {modelPath}: {string.Join("; ", attempts.Select(a => $"{a.Provider}: {a.Reason}"))}. Add \"cpu\" to the provider list to fall back to the CPU.",
            last!);
    }

    /// <summary>
    /// Tries to set up each preferred provider without a model (what <c>edgeseg doctor</c> reports when given none):
    /// the first that can be appended would run a model, unless the model itself then fails on it.
    /// </summary>
    public static ExecutionProviderReport Probe(InferenceOptions options)
    {
        var attempts = new List<ProviderAttempt>();
        foreach (var name in options.Providers.Select(p => p.Trim().ToLowerInvariant()).DefaultIfEmpty("cpu"))
        {
            if (name is not ("tensorrt" or "cuda" or "cpu"))
            {
                attempts.Add(new ProviderAttempt(name, false, "unknown provider; expected tensorrt, cuda or cpu"));
                continue;
            }

            using var sessionOptions = CreateSessionOptions(options);
            try
            {
                if (name == "tensorrt")
                {
                    AppendTensorRt(sessionOptions, options);
                }
                else if (name == "cuda")
                {
                    AppendCuda(sessionOptions, options);
                }
            }
            catch (OnnxRuntimeException ex)
            {
                attempts.Add(new ProviderAttempt(name, false, $"{ex.Function}: {ex.NativeMessage.Trim()}"));
                continue;
            }

            attempts.Add(new ProviderAttempt(name, true, null));
            return new ExecutionProviderReport(name, attempts);
        }

        return new ExecutionProviderReport("none", attempts);
    }

    public IInferenceBinding Bind(string inputName, ReadOnlySpan<long> inputShape, IReadOnlyList<string> outputNames)
    {
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        var input = Inputs.FirstOrDefault(i => i.Name == inputName)
            ?? throw new ArgumentException($"The model has no input '{inputName}' (its inputs: {string.Join(", ", Inputs.Select(i => i.Name))}).", nameof(inputName));
        if (input.Shape.Count != inputShape.Length)
        {
            throw new ArgumentException($"Input '{inputName}' has rank {input.Shape.Count}; the shape given has rank {inputShape.Length}.", nameof(inputShape));
        }

        for (var d = 0; d < inputShape.Length; d++)
        {
            if (input.Shape[d] >= 0 && input.Shape[d] != inputShape[d])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Input '{inputName}' is {input.ShapeText}; dimension {d} cannot be {inputShape[d]}."), nameof(inputShape));
            }
        }

        foreach (var name in outputNames)
        {
            if (Outputs.All(o => o.Name != name))
            {
                throw new ArgumentException($"The model has no output '{name}' (its outputs: {string.Join(", ", Outputs.Select(o => o.Name))}).", nameof(outputNames));
            }
        }

        return new OnnxRuntimeBinding(this, input, inputShape.ToArray(), outputNames);
    }

    public void Dispose()
    {
        _memoryInfo.Dispose();
        _session.Dispose();
    }

    internal static TensorElementType Map(OnnxElementType? type) => type switch
    {
        OnnxElementType.Float => TensorElementType.Float32,
        OnnxElementType.Float16 => TensorElementType.Float16,
        OnnxElementType.UInt8 => TensorElementType.UInt8,
        OnnxElementType.Int32 => TensorElementType.Int32,
        OnnxElementType.Int64 => TensorElementType.Int64,
        _ => TensorElementType.Unsupported,
    };

    private static TensorInfo Describe(string name, OrtTypeInfoHandle typeInfo)
    {
        using (typeInfo)
        {
            var (type, shape, symbolic) = OrtApi.Instance.ReadTensorType(typeInfo);
            return new TensorInfo(name, Map(type), [.. shape.Select(d => d < 0 ? -1 : d)], symbolic);
        }
    }

    private static OrtSessionOptionsHandle CreateSessionOptions(InferenceOptions options)
    {
        var api = OrtApi.Instance;
        var sessionOptions = api.CreateSessionOptions();
        try
        {
            api.SetSessionLogSeverityLevel(sessionOptions, 3);
            api.SetIntraOpNumThreads(sessionOptions, Math.Max(0, options.IntraOpThreads));

            // GraphOptimizationLevel: ORT_DISABLE_ALL 0, ORT_ENABLE_BASIC 1, ORT_ENABLE_EXTENDED 2, ORT_ENABLE_ALL 99.
            api.SetSessionGraphOptimizationLevel(sessionOptions, options.GraphOptimization switch
            {
                GraphOptimizationLevel.Disabled => 0,
                GraphOptimizationLevel.Basic => 1,
                GraphOptimizationLevel.Extended => 2,
                _ => 99,
            });
            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static void AppendCuda(OrtSessionOptionsHandle sessionOptions, InferenceOptions options)
    {
        var api = OrtApi.Instance;
        using var cuda = api.CreateCudaProviderOptions();
        api.UpdateCudaProviderOptions(cuda, [new("device_id", options.DeviceId.ToString(CultureInfo.InvariantCulture))]);

        // The session options copy the provider options: they can be released right after.
        api.AppendCuda(sessionOptions, cuda);
    }

    private static void AppendTensorRt(OrtSessionOptionsHandle sessionOptions, InferenceOptions options)
    {
        var api = OrtApi.Instance;
        using var trt = api.CreateTensorRtProviderOptions();
        var entries = new List<KeyValuePair<string, string>>
        {
            new("device_id", options.DeviceId.ToString(CultureInfo.InvariantCulture)),
            new("trt_fp16_enable", options.TensorRtFp16 ? "1" : "0"),
        };
        if (!string.IsNullOrEmpty(options.TensorRtCachePath))
        {
            Directory.CreateDirectory(options.TensorRtCachePath);
            entries.Add(new("trt_engine_cache_enable", "1"));
            entries.Add(new("trt_engine_cache_path", Path.GetFullPath(options.TensorRtCachePath)));
            entries.Add(new("trt_timing_cache_enable", "1"));
            entries.Add(new("trt_timing_cache_path", Path.GetFullPath(options.TensorRtCachePath)));
        }

        api.UpdateTensorRtProviderOptions(trt, entries);
        api.AppendTensorRt(sessionOptions, trt);
    }
}
