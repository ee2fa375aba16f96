namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>The CUDA and TensorRT execution providers (V2 option structs, set through key/value strings).</summary>
internal sealed unsafe partial class OrtApi
{
    public OrtCudaProviderOptionsHandle CreateCudaProviderOptions()
    {
        nint options;
        Check(_createCudaProviderOptions(&options), "CreateCUDAProviderOptions");
        return new OrtCudaProviderOptionsHandle(options);
    }

    public void UpdateCudaProviderOptions(OrtCudaProviderOptionsHandle options, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        WithKeyValues(entries, (keys, values, count) =>
            Check(_updateCudaProviderOptions(options.DangerousGetHandle(), keys, values, count), "UpdateCUDAProviderOptions"));
        GC.KeepAlive(options);
    }

    public void AppendCuda(OrtSessionOptionsHandle sessionOptions, OrtCudaProviderOptionsHandle options)
    {
        Check(_sessionOptionsAppendExecutionProviderCudaV2(sessionOptions.DangerousGetHandle(), options.DangerousGetHandle()),
            "SessionOptionsAppendExecutionProvider_CUDA_V2");
        GC.KeepAlive(sessionOptions);
        GC.KeepAlive(options);
    }

    public OrtTensorRtProviderOptionsHandle CreateTensorRtProviderOptions()
    {
        nint options;
        Check(_createTensorRtProviderOptions(&options), "CreateTensorRTProviderOptions");
        return new OrtTensorRtProviderOptionsHandle(options);
    }

    public void UpdateTensorRtProviderOptions(OrtTensorRtProviderOptionsHandle options, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        WithKeyValues(entries, (keys, values, count) =>
            Check(_updateTensorRtProviderOptions(options.DangerousGetHandle(), keys, values, count), "UpdateTensorRTProviderOptions"));
        GC.KeepAlive(options);
    }

    public void AppendTensorRt(OrtSessionOptionsHandle sessionOptions, OrtTensorRtProviderOptionsHandle options)
    {
        Check(_sessionOptionsAppendExecutionProviderTensorRtV2(sessionOptions.DangerousGetHandle(), options.DangerousGetHandle()),
            "SessionOptionsAppendExecutionProvider_TensorRT_V2");
        GC.KeepAlive(sessionOptions);
        GC.KeepAlive(options);
    }

    private delegate void KeyValueAction(byte** keys, byte** values, nuint count);

    private static void WithKeyValues(IReadOnlyList<KeyValuePair<string, string>> entries, KeyValueAction action)
    {
        var keyHandles = new System.Runtime.InteropServices.GCHandle[entries.Count];
        var valueHandles = new System.Runtime.InteropServices.GCHandle[entries.Count];
        var keys = new nint[entries.Count];
        var values = new nint[entries.Count];
        try
        {
            for (var i = 0; i < entries.Count; i++)
            {
                keyHandles[i] = System.Runtime.InteropServices.GCHandle.Alloc(Utf8(entries[i].Key), System.Runtime.InteropServices.GCHandleType.Pinned);
                valueHandles[i] = System.Runtime.InteropServices.GCHandle.Alloc(Utf8(entries[i].Value), System.Runtime.InteropServices.GCHandleType.Pinned);
                keys[i] = keyHandles[i].AddrOfPinnedObject();
                values[i] = valueHandles[i].AddrOfPinnedObject();
            }

            fixed (nint* k = keys)
            fixed (nint* v = values)
            {
                action((byte**)k, (byte**)v, (nuint)entries.Count);
            }
        }
        finally
        {
            foreach (var h in keyHandles.Concat(valueHandles))
            {
                if (h.IsAllocated)
                {
                    h.Free();
                }
            }
        }
    }
}
