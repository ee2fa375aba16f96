using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtValue</c>; released with <c>ReleaseValue</c>.</summary>
internal sealed class OrtValueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtValueHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtValueHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseValue(handle);
        return true;
    }
}
