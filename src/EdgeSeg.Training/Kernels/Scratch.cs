using System.Buffers;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Reused scratch buffers (im2col columns, packed panels): rented per operation and returned, so steady-state
/// training steps do not allocate them again.
/// </summary>
internal static class Scratch
{
    private static readonly ArrayPool<float> Pool = ArrayPool<float>.Create(1 << 30, 16);

    public static float[] Rent(int length) => Pool.Rent(length);

    public static void Return(float[]? array)
    {
        if (array is not null)
        {
            Pool.Return(array);
        }
    }
}
