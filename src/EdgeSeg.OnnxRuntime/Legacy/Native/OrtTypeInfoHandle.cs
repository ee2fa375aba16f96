using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtTypeInfo</c>; released with <c>ReleaseTypeInfo</c>.</summary>
internal sealed class OrtTypeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTypeInfoHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtTypeInfoHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTypeInfo(handle);
        return true;
    }
}
