namespace EdgeSeg.Training.Tensors;

/// <summary>
/// Reuses the storage of operation results (activations and their gradients) across training steps: while an arena
/// is in use on a thread (<see cref="Use"/>), every tensor an operation creates takes a zero-filled buffer from it,
/// and <see cref="Reset"/> makes all of them available again. A training loop calls Reset at the start of each step;
/// after the first step, steps allocate no activation memory. Tensors made inside the scope are valid only until the
/// next Reset (copy what must outlive the step, e.g. with <see cref="Tensor.Detach"/> outside the scope).
/// Parameters, their gradients and optimiser state never come from an arena. Not thread-safe: one thread uses it.
/// </summary>
public sealed class TensorArena
{
    [ThreadStatic]
    private static TensorArena? t_current;

    private readonly Dictionary<(Type, int), Stack<Array>> _free = [];
    private readonly List<Array> _inUse = [];

    /// <summary>Total bytes held (in use and free).</summary>
    public long CapacityBytes { get; private set; }

    internal static TensorArena? Current => t_current;

    /// <summary>Makes <paramref name="arena"/> the current arena of this thread until the scope is disposed.</summary>
    public static ArenaScope Use(TensorArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var previous = t_current;
        t_current = arena;
        return new ArenaScope(previous);
    }

    internal static void Restore(TensorArena? previous) => t_current = previous;

    /// <summary>Makes every buffer handed out so far available again (their tensors become invalid).</summary>
    public void Reset()
    {
        foreach (var a in _inUse)
        {
            Free(a.GetType(), a.Length).Push(a);
        }

        _inUse.Clear();
    }

    internal float[] Rent(int length) => Rent<float>(length);

    /// <summary>A zero-filled buffer of <paramref name="length"/> elements, valid until the next <see cref="Reset"/>.</summary>
    internal T[] Rent<T>(int length)
        where T : unmanaged
    {
        var free = Free(typeof(T[]), length);
        T[] a;
        if (free.Count > 0)
        {
            a = (T[])free.Pop();
            Array.Clear(a);
        }
        else
        {
            a = new T[length];
            CapacityBytes += (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        }

        _inUse.Add(a);
        return a;
    }

    /// <summary>A zero-filled scratch array from the thread's arena, or a new one when none is in use.</summary>
    internal static T[] RentOrNew<T>(int length)
        where T : unmanaged => t_current?.Rent<T>(length) ?? new T[length];

    private Stack<Array> Free(Type type, int length)
    {
        if (!_free.TryGetValue((type, length), out var s))
        {
            s = new Stack<Array>();
            _free[(type, length)] = s;
        }

        return s;
    }
}
