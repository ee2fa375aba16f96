using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtMemoryInfo</c>; released with <c>ReleaseMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtMemoryInfoHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtMemoryInfoHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseMemoryInfo(handle);
        return true;
    }
}
