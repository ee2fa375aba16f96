using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtTensorRTProviderOptionsV2</c>; released with <c>ReleaseTensorRtProviderOptions</c>.</summary>
internal sealed class OrtTensorRtProviderOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTensorRtProviderOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtTensorRtProviderOptionsHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTensorRtProviderOptions(handle);
        return true;
    }
}
