using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtEnv</c>; released with <c>ReleaseEnv</c>.</summary>
internal sealed class OrtEnvHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtEnvHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtEnvHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseEnv(handle);
        return true;
    }
}
