namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>The Release entries, called only from the SafeHandles' ReleaseHandle (they return nothing and never fail).</summary>
internal sealed unsafe partial class OrtApi
{
    public void ReleaseEnv(nint p) => _releaseEnv(p);

    public void ReleaseSessionOptions(nint p) => _releaseSessionOptions(p);

    public void ReleaseSession(nint p) => _releaseSession(p);

    public void ReleaseValue(nint p) => _releaseValue(p);

    public void ReleaseMemoryInfo(nint p) => _releaseMemoryInfo(p);

    public void ReleaseTypeInfo(nint p) => _releaseTypeInfo(p);

    public void ReleaseTensorTypeAndShapeInfo(nint p) => _releaseTensorTypeAndShapeInfo(p);

    public void ReleaseModelMetadata(nint p) => _releaseModelMetadata(p);

    public void ReleaseCudaProviderOptions(nint p) => _releaseCudaProviderOptions(p);

    public void ReleaseTensorRtProviderOptions(nint p) => _releaseTensorRtProviderOptions(p);
}
