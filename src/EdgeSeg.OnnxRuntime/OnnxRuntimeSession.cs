using System.Globalization;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime.Providers;
using Ort = Microsoft.ML.OnnxRuntime;

namespace EdgeSeg.OnnxRuntime;

/// <summary>An ONNX Runtime session with its model's signature and the provider that won. Thread-safe (Run is).</summary>
internal sealed class OnnxRuntimeSession : IInferenceSession
{
    private readonly Ort.InferenceSession _session;
    private bool _disposed;

    private OnnxRuntimeSession(Ort.InferenceSession session, ExecutionProviderReport providers)
    {
        _session = session;
        Providers = providers;
        Inputs = [.. session.InputNames.Select(name => Describe(name, session.InputMetadata[name]))];
        Outputs = [.. session.OutputNames.Select(name => Describe(name, session.OutputMetadata[name]))];
        var metadata = session.ModelMetadata;
        Metadata = new Dictionary<string, string>(metadata.CustomMetadataMap, StringComparer.Ordinal);
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public ExecutionProviderReport Providers { get; }

    internal Ort.InferenceSession Native => _session;

    /// <summary>
    /// Opens the model with the first provider of <see cref="InferenceOptions.Providers"/> that works. A GPU provider
    /// that fails (a CUDA, cuDNN or TensorRT library is missing, no device, ...) is skipped with one log line naming
    /// the missing library and what to install; a failure with the CPU provider is the model's fault and is thrown.
    /// </summary>
    public static OnnxRuntimeSession Open(string modelPath, InferenceOptions options)
    {
        var attempts = new List<ProviderAttempt>();
        var requested = Requested(options);
        var model = Path.GetFileName(modelPath);
        OrtLog.UseSink(options.Log);
        using var capture = OrtLog.Capture();
        OnnxRuntimeException? last = null;
        for (var i = 0; i < requested.Count; i++)
        {
            var provider = requested[i];
            if (provider is not ("tensorrt" or "cuda" or "cpu"))
            {
                Skip(new ProviderAttempt(provider, false, "unknown provider; expected tensorrt, cuda or cpu"));
                continue;
            }

            using var sessionOptions = CreateSessionOptions(options);
            Ort.InferenceSession session;
            var call = "AppendExecutionProvider";
            try
            {
                if (provider == "tensorrt")
                {
                    call = "AppendExecutionProvider_Tensorrt";
                    AppendTensorRt(sessionOptions, options);

                    // Nodes TensorRT cannot take go to CUDA rather than the CPU when CUDA is also preferred.
                    if (requested.Skip(i + 1).Contains("cuda"))
                    {
                        call = "AppendExecutionProvider_CUDA";
                        AppendCuda(sessionOptions, options);
                    }
                }
                else if (provider == "cuda")
                {
                    call = "AppendExecutionProvider_CUDA";
                    AppendCuda(sessionOptions, options);
                }

                call = "CreateSession";
                session = new Ort.InferenceSession(modelPath, sessionOptions);
            }
            catch (Ort.OnnxRuntimeException ex) when (provider != "cpu")
            {
                // The runtime's own lines about this failure say what the exception says: the skip line carries it once.
                capture.Take();
                last = OnnxRuntimeException.From(ex, call);
                Skip(new ProviderAttempt(provider, false, $"{call}: {ProviderDiagnosis.Explain(provider, last.NativeMessage)}"));
                continue;
            }
            catch (Ort.OnnxRuntimeException ex)
            {
                Flush(capture, options);
                throw OnnxRuntimeException.From(ex, call);
            }

            Flush(capture, options);
            attempts.Add(new ProviderAttempt(provider, true, null));
            try
            {
                var opened = new OnnxRuntimeSession(session, new ExecutionProviderReport(provider, attempts));
                options.Log?.Invoke($"{model}: model runs on {provider}");
                return opened;
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

        void Skip(ProviderAttempt attempt)
        {
            attempts.Add(attempt);
            options.Log?.Invoke($"{model}: {attempt.Provider} skipped: {attempt.Reason}");
        }
    }

    /// <summary>
    /// Tries to set up each preferred provider without a model (what <c>edgeseg doctor</c> reports when given none):
    /// the first that can be appended would run a model, unless the model itself then fails on it.
    /// </summary>
    public static ExecutionProviderReport Probe(InferenceOptions options)
    {
        var attempts = new List<ProviderAttempt>();
        using var capture = OrtLog.Capture();
        foreach (var name in Requested(options))
        {
            if (name is not ("tensorrt" or "cuda" or "cpu"))
            {
                attempts.Add(new ProviderAttempt(name, false, "unknown provider; expected tensorrt, cuda or cpu"));
                continue;
            }

            if (TryAppend(name, options) is { } reason)
            {
                attempts.Add(new ProviderAttempt(name, false, reason));
                continue;
            }

            attempts.Add(new ProviderAttempt(name, true, null));
            return new ExecutionProviderReport(name, attempts);
        }

        return new ExecutionProviderReport("none", attempts);
    }

    /// <summary>Appends one provider to fresh session options: null when it can be set up, else why not.</summary>
    public static string? TryAppend(string provider, InferenceOptions options)
    {
        using var capture = OrtLog.Capture();
        using var sessionOptions = CreateSessionOptions(options);
        var call = provider == "tensorrt" ? "AppendExecutionProvider_Tensorrt" : "AppendExecutionProvider_CUDA";
        try
        {
            if (provider == "tensorrt")
            {
                AppendTensorRt(sessionOptions, options);
            }
            else if (provider == "cuda")
            {
                AppendCuda(sessionOptions, options);
            }

            return null;
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            return $"{call}: {ProviderDiagnosis.Explain(provider, OnnxRuntimeException.From(ex, call).NativeMessage)}";
        }
    }

    public IInferenceBinding Bind(string inputName, ReadOnlySpan<long> inputShape, IReadOnlyList<string> outputNames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
        _disposed = true;
        _session.Dispose();
    }

    internal static TensorElementType Map(Ort.Tensors.TensorElementType type) => type switch
    {
        Ort.Tensors.TensorElementType.Float => TensorElementType.Float32,
        Ort.Tensors.TensorElementType.Float16 => TensorElementType.Float16,
        Ort.Tensors.TensorElementType.UInt8 => TensorElementType.UInt8,
        Ort.Tensors.TensorElementType.Int32 => TensorElementType.Int32,
        Ort.Tensors.TensorElementType.Int64 => TensorElementType.Int64,
        _ => TensorElementType.Unsupported,
    };

    private static List<string> Requested(InferenceOptions options)
    {
        var requested = options.Providers.Select(p => p.Trim().ToLowerInvariant()).ToList();
        if (requested.Count == 0)
        {
            requested.Add("cpu");
        }

        return requested;
    }

    private static void Flush(OrtLog.CaptureScope capture, InferenceOptions options)
    {
        foreach (var line in capture.Take())
        {
            options.Log?.Invoke(line);
        }
    }

    private static TensorInfo Describe(string name, Ort.NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            return new TensorInfo(name, TensorElementType.Unsupported, [], []);
        }

        return new TensorInfo(
            name,
            Map(metadata.ElementDataType),
            [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)],
            [.. metadata.SymbolicDimensions.Select(s => s ?? string.Empty)]);
    }

    private static Ort.SessionOptions CreateSessionOptions(InferenceOptions options)
    {
        var sessionOptions = new Ort.SessionOptions();
        try
        {
            sessionOptions.LogSeverityLevel = Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
            sessionOptions.IntraOpNumThreads = Math.Max(0, options.IntraOpThreads);
            sessionOptions.GraphOptimizationLevel = options.GraphOptimization switch
            {
                GraphOptimizationLevel.Disabled => Ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimizationLevel.Basic => Ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimizationLevel.Extended => Ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static void AppendCuda(Ort.SessionOptions sessionOptions, InferenceOptions options)
    {
        // The session options copy the provider options: they can be released right after.
        using var cuda = new Ort.OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture) });
        sessionOptions.AppendExecutionProvider_CUDA(cuda);
    }

    private static void AppendTensorRt(Ort.SessionOptions sessionOptions, InferenceOptions options)
    {
        using var trt = new Ort.OrtTensorRTProviderOptions();
        var entries = new Dictionary<string, string>
        {
            ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = options.TensorRtFp16 ? "1" : "0",
        };
        if (!string.IsNullOrEmpty(options.TensorRtCachePath))
        {
            Directory.CreateDirectory(options.TensorRtCachePath);
            entries["trt_engine_cache_enable"] = "1";
            entries["trt_engine_cache_path"] = Path.GetFullPath(options.TensorRtCachePath);
            entries["trt_timing_cache_enable"] = "1";
            entries["trt_timing_cache_path"] = Path.GetFullPath(options.TensorRtCachePath);
        }

        trt.UpdateOptions(entries);
        sessionOptions.AppendExecutionProvider_Tensorrt(trt);
    }
}
