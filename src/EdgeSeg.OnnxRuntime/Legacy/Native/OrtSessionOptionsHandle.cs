using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtSessionOptions</c>; released with <c>ReleaseSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtSessionOptionsHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSessionOptions(handle);
        return true;
    }
}
