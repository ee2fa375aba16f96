using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtCUDAProviderOptionsV2</c>; released with <c>ReleaseCudaProviderOptions</c>.</summary>
internal sealed class OrtCudaProviderOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtCudaProviderOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtCudaProviderOptionsHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseCudaProviderOptions(handle);
        return true;
    }
}
