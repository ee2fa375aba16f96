using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtSession</c>; released with <c>ReleaseSession</c>.</summary>
internal sealed class OrtSessionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtSessionHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSession(handle);
        return true;
    }
}
